// ACPI discovery (src/kernel/acpi/) on hand-made tables: the RSDP, the
// table list under each rule of the hostile-table policy (docs/acpi.md),
// and the report's wording. The parsers of single tables:
// acpi_parsers_test.cpp.
#include <gtest/gtest.h>

#include <memory>
#include <string>

#include "acpi_builder.hpp"
#include "kernel/acpi/fadt.hpp"
#include "kernel/acpi/madt.hpp"
#include "kernel/acpi/platform.hpp"
#include "kernel/acpi/report.hpp"
#include "kernel/acpi/rsdp.hpp"
#include "string_sink.hpp"

namespace kernel::acpi {
namespace {

using acpi_test::append;
using acpi_test::contains;
using acpi_test::FakeMemory;
using acpi_test::lapic;
using acpi_test::madt_header;
using acpi_test::put;
using acpi_test::report;
using acpi_test::table;
using acpi_test::view;
using B = acpi_test::Bytes;

// ---------------------------------------------------------------- RSDP

TEST(AcpiRsdp, Version1UsesTheRsdt) {
    const B r = acpi_test::rsdp_v1(0x1234);
    auto p = parse_rsdp(view(r));
    ASSERT_TRUE(p.ok());
    EXPECT_EQ(p->revision, 0);
    EXPECT_FALSE(p->uses_xsdt());
    EXPECT_EQ(p->root().value(), 0x1234u);
}

TEST(AcpiRsdp, Version2UsesTheXsdt) {
    const B r = acpi_test::rsdp_v2(0x1234, 0x1'0000'0000);
    auto p = parse_rsdp(view(r));
    ASSERT_TRUE(p.ok());
    EXPECT_TRUE(p->extended_ok);
    EXPECT_EQ(p->root().value(), 0x1'0000'0000u);
}

TEST(AcpiRsdp, BadChecksumsAndSignatures) {
    B r = acpi_test::rsdp_v1(0x1234);
    r[16] ^= 1;  // v1 checksum now wrong
    EXPECT_EQ(parse_rsdp(view(r)).error(), Error::BadChecksum);
    B s = acpi_test::rsdp_v1(0x1234);
    s[0] = 'X';
    EXPECT_EQ(parse_rsdp(view(s)).error(), Error::BadSignature);
    EXPECT_EQ(parse_rsdp(view(B(19, 0))).error(), Error::TooShort);
    EXPECT_EQ(parse_rsdp(view(acpi_test::rsdp_v1(0))).error(), Error::NoRootTable);
}

TEST(AcpiRsdp, BadExtendedChecksumFallsBackToTheRsdt) {
    B r = acpi_test::rsdp_v2(0x1234, 0x5678);
    r[30] ^= 0x40;  // inside the extended part: only the extended checksum breaks
    auto p = parse_rsdp(view(r));
    ASSERT_TRUE(p.ok());
    EXPECT_FALSE(p->extended_ok);
    EXPECT_EQ(p->root().value(), 0x1234u);
    B truncated = acpi_test::rsdp_v2(0x1234, 0x5678);
    truncated.resize(30);  // v2 claims 36 bytes, 30 given
    EXPECT_FALSE(parse_rsdp(view(truncated))->extended_ok);
}

TEST(AcpiRsdp, ReadThroughTheReader) {
    FakeMemory mem;
    mem.place(0xe0000, acpi_test::rsdp_v2(0, 0x9000));
    auto p = read_rsdp(mem.reader(), PhysAddr{0xe0000});
    ASSERT_TRUE(p.ok());
    EXPECT_EQ(p->root().value(), 0x9000u);
    EXPECT_EQ(read_rsdp(mem.reader(), PhysAddr{0xf0000}).error(), Error::Unreadable);
}

// ---------------------------------------------------------- table list

struct World {
    FakeMemory mem;
    std::unique_ptr<Platform> platform = std::make_unique<Platform>();
    Result<void, Error> discover() {
        return kernel::acpi::discover(mem.reader(), PhysAddr{0xe0000}, *platform);
    }
};

B small_madt() {
    B m = madt_header();
    lapic(m, 0, 0, 1);
    return table("APIC", m);
}

TEST(AcpiTables, XsdtListingItselfAndRepeatsEnds) {
    World w;
    w.mem.place(0xe0000, acpi_test::rsdp_v2(0, 0x10000));
    std::vector<uint64_t> entries = {0x10000};
    for (int i = 0; i < 1000; ++i) entries.push_back(0x20000);
    w.mem.place(0x10000, acpi_test::root_table("XSDT", entries));
    w.mem.place(0x20000, small_madt());
    ASSERT_TRUE(w.discover().ok());
    const TableList& t = w.platform->tables;
    EXPECT_EQ(t.usable_count(), 1u);
    EXPECT_EQ(t.entries()[0].error, Error::ListsItself);
    EXPECT_EQ(t.entries()[2].error, Error::Duplicate);
    EXPECT_EQ(t.entries().size(), TableList::kCapacity);
    EXPECT_EQ(t.ignored_entries(), 1001 - TableList::kCapacity);
    const std::string text = report(*w.platform);
    EXPECT_TRUE(contains(text, "acpi: 1 tables (APIC)\n")) << text;
    EXPECT_TRUE(contains(text, "acpi: table at 0x10000: root table lists itself (ignored)\n"))
        << text;
    EXPECT_TRUE(contains(text, "acpi: APIC at 0x20000: listed more than once (ignored)\n"));
    EXPECT_TRUE(contains(text, "acpi: 937 more root entries ignored (at most 64 tables)\n"));
}

TEST(AcpiTables, BadChecksumIsReportedByNameAndStillUsed) {
    World w;
    w.mem.place(0xe0000, acpi_test::rsdp_v1(0x10000));
    w.mem.place(0x10000, acpi_test::root_table("RSDT", {0x20000}));
    B madt = small_madt();
    madt[9] ^= 0xff;
    w.mem.place(0x20000, madt);
    ASSERT_TRUE(w.discover().ok());
    EXPECT_EQ(w.platform->tables.entries()[0].status, TableStatus::BadChecksum);
    EXPECT_EQ(w.platform->madt_state, Found::Parsed);
    const std::string text = report(*w.platform);
    EXPECT_TRUE(contains(text, "acpi: APIC at 0x20000 has a bad checksum (used anyway)\n")) << text;
    EXPECT_TRUE(contains(text, "cpus: 1 in the MADT (APIC IDs 0)\n")) << text;
}

TEST(AcpiTables, AGoodCopyWinsOverABadOne) {
    World w;
    w.mem.place(0xe0000, acpi_test::rsdp_v1(0x10000));
    w.mem.place(0x10000, acpi_test::root_table("RSDT", {0x20000, 0x30000}));
    B bad = small_madt();
    bad[9] ^= 0xff;
    w.mem.place(0x20000, bad);
    B good = madt_header();
    lapic(good, 0, 7, 1);
    w.mem.place(0x30000, table("APIC", good));
    ASSERT_TRUE(w.discover().ok());
    EXPECT_EQ(w.platform->tables.find(Signature::of("APIC"))->phys.value(), 0x30000u);
    const std::string text = report(*w.platform);
    EXPECT_TRUE(contains(text, "acpi: APIC at 0x20000 has a bad checksum (another copy is used)\n"))
        << text;
    EXPECT_TRUE(contains(text, "(APIC IDs 7)")) << text;
}

// Two good MADTs (3 of 200 real machines, and one lists two MCFGs): the
// first is used and the second named, not dropped without a word.
TEST(AcpiTables, ASecondCopyIsNamedAsIgnored) {
    World w;
    w.mem.place(0xe0000, acpi_test::rsdp_v1(0x10000));
    w.mem.place(0x10000, acpi_test::root_table("RSDT", {0x20000, 0x30000}));
    w.mem.place(0x20000, small_madt());
    B second = madt_header();
    lapic(second, 0, 7, 1);
    w.mem.place(0x30000, table("APIC", second));
    ASSERT_TRUE(w.discover().ok());
    EXPECT_EQ(w.platform->tables.find(Signature::of("APIC"))->phys.value(), 0x20000u);
    const std::string text = report(*w.platform);
    EXPECT_TRUE(contains(text, "acpi: APIC at 0x30000 ignored (the APIC at 0x20000 is used)\n"))
        << text;
    EXPECT_TRUE(contains(text, "(APIC IDs 0)")) << text;
}

TEST(AcpiTables, TruncatedHugeAndTinyTables) {
    World w;
    w.mem.place(0xe0000, acpi_test::rsdp_v1(0x10000));
    w.mem.place(0x10000, acpi_test::root_table("RSDT", {0x20000, 0x30000, 0x40000, 0x50000, 0}));
    B cut = small_madt();
    cut.resize(40);  // claims 52 bytes, 40 mapped
    w.mem.place(0x20000, cut);
    B huge = table("HPET", B(20, 0));
    put(huge, 4, 0xffffffff, 4);
    w.mem.place(0x30000, huge);
    B tiny = table("WAET", B(4, 0));
    put(tiny, 4, 20, 4);
    w.mem.place(0x40000, tiny);
    // 0x50000 is not memory at all.
    ASSERT_TRUE(w.discover().ok());
    const auto e = w.platform->tables.entries();
    ASSERT_EQ(e.size(), 4u);
    EXPECT_EQ(e[0].error, Error::Unreadable);
    EXPECT_EQ(e[1].error, Error::TooLong);
    EXPECT_EQ(e[2].error, Error::TooShort);
    EXPECT_EQ(e[3].error, Error::Unreadable);
    EXPECT_EQ(w.platform->tables.null_entries(), 1u);
    EXPECT_EQ(w.platform->tables.usable_count(), 0u);
    const std::string text = report(*w.platform);
    EXPECT_TRUE(contains(text, "acpi: 0 tables ()\n")) << text;
    EXPECT_TRUE(contains(text, "acpi: HPET at 0x30000: impossibly long (ignored)\n")) << text;
    EXPECT_TRUE(contains(text, "acpi: table at 0x50000: cannot be read (ignored)\n")) << text;
    EXPECT_TRUE(contains(text, "cpus: no MADT")) << text;
}

TEST(AcpiTables, AnEntryInsideTheRootTableIsReadNotFollowed) {
    // Overlapping: the "table" is the root table's own tail.
    World w;
    w.mem.place(0xe0000, acpi_test::rsdp_v2(0, 0x10000));
    w.mem.place(0x10000, acpi_test::root_table("XSDT", {0x10004, 0x10024}));
    ASSERT_TRUE(w.discover().ok());
    for (const TableEntry& e : w.platform->tables.entries()) EXPECT_FALSE(e.usable());
}

TEST(AcpiTables, RootTableProblemsFailDiscovery) {
    World w;
    w.mem.place(0xe0000, acpi_test::rsdp_v1(0x10000));
    EXPECT_EQ(w.discover().error(), Error::Unreadable);
    World x;
    x.mem.place(0xe0000, acpi_test::rsdp_v1(0x10000));
    x.mem.place(0x10000, acpi_test::root_table("XSDT", {}));  // v1 RSDP names an RSDT
    EXPECT_EQ(x.discover().error(), Error::BadSignature);
}

TEST(AcpiTables, FadtLeadsToDsdtAndFacs) {
    World w;
    w.mem.place(0xe0000, acpi_test::rsdp_v1(0x10000));
    w.mem.place(0x10000, acpi_test::root_table("RSDT", {0x20000}));
    B fadt(116 - 36, 0);
    put(fadt, 0, 0x40000, 4);  // FIRMWARE_CTRL (offset 36)
    put(fadt, 4, 0x30000, 4);  // DSDT (offset 40)
    w.mem.place(0x20000, table("FACP", fadt));
    w.mem.place(0x30000, table("DSDT", B(10, 0x5b)));
    B facs(64, 0);
    std::memcpy(facs.data(), "FACS", 4);
    put(facs, 4, 64, 4);
    w.mem.place(0x40000, facs);
    ASSERT_TRUE(w.discover().ok());
    EXPECT_TRUE(contains(report(*w.platform), "acpi: 3 tables (FACP DSDT FACS)\n"));
}

}  // namespace
}  // namespace kernel::acpi
