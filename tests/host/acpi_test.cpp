// The ACPI table parsers (src/kernel/acpi/) on hand-made tables: each rule
// of the hostile-table policy (docs/acpi.md), every FADT length, and the
// report's wording.
#include <gtest/gtest.h>

#include <memory>
#include <string>

#include "acpi_builder.hpp"
#include "kernel/acpi/fadt.hpp"
#include "kernel/acpi/hpet.hpp"
#include "kernel/acpi/madt.hpp"
#include "kernel/acpi/mcfg.hpp"
#include "kernel/acpi/platform.hpp"
#include "kernel/acpi/report.hpp"
#include "kernel/acpi/rsdp.hpp"
#include "string_sink.hpp"

namespace kernel::acpi {
namespace {

using acpi_test::append;
using acpi_test::FakeMemory;
using acpi_test::put;
using acpi_test::table;
using B = acpi_test::Bytes;

Bytes view(const B& b) { return Bytes{ktl::span<const u8>{b.data(), b.size()}}; }

std::string report(const Platform& p) {
    return host_test::written([&](kfmt::Sink& sink) { write_report(sink, p, nullptr); });
}

bool contains(const std::string& text, const std::string& line) {
    return text.find(line) != std::string::npos;
}

// MADT body pieces.
B madt_header() {
    B b;
    append(b, 0xfee00000, 4);
    append(b, 1, 4);
    return b;
}
void lapic(B& b, uint8_t uid, uint8_t id, uint32_t flags) {
    append(b, 0, 1), append(b, 8, 1), append(b, uid, 1), append(b, id, 1), append(b, flags, 4);
}
void x2apic(B& b, uint32_t id, uint32_t flags, uint32_t uid) {
    append(b, 9, 1), append(b, 16, 1), append(b, 0, 2), append(b, id, 4), append(b, flags, 4);
    append(b, uid, 4);
}
void ioapic(B& b, uint8_t id, uint32_t addr, uint32_t base) {
    append(b, 1, 1), append(b, 12, 1), append(b, id, 1), append(b, 0, 1), append(b, addr, 4);
    append(b, base, 4);
}
void iso(B& b, uint8_t irq, uint32_t gsi, uint16_t flags) {
    append(b, 2, 1), append(b, 10, 1), append(b, 0, 1), append(b, irq, 1), append(b, gsi, 4);
    append(b, flags, 2);
}

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

// ---------------------------------------------------------------- MADT

TEST(AcpiMadt, EveryEntryType) {
    B b = madt_header();
    lapic(b, 0, 0, 1);
    lapic(b, 1, 1, 1);
    lapic(b, 2, 2, 0);  // disabled, not online-capable: not a CPU
    lapic(b, 3, 3, 2);  // online-capable
    x2apic(b, 0x100, 1, 4);
    x2apic(b, 1, 1, 5);  // APIC ID 1 again, as some firmware lists it
    ioapic(b, 0, 0xfec00000, 0);
    ioapic(b, 1, 0xfec01000, 24);
    iso(b, 0, 2, 0);
    iso(b, 9, 9, 0xd);
    append(b, 3, 1), append(b, 8, 1), append(b, 5, 2), append(b, 30, 4);  // NMI source
    append(b, 4, 1), append(b, 6, 1), append(b, 0xff, 1), append(b, 5, 2), append(b, 1, 1);
    append(b, 10, 1), append(b, 12, 1), append(b, 0, 2), append(b, 4, 4), append(b, 0, 4);
    append(b, 127, 1), append(b, 5, 1), append(b, 0, 3);  // unknown, skipped by length
    append(b, 0, 1), append(b, 4, 1), append(b, 0, 2);    // LAPIC too short: malformed
    append(b, 5, 1), append(b, 12, 1), append(b, 0, 2), append(b, 0xfee10000, 8);
    const B t = table("APIC", b, 4);
    auto m = std::make_unique<Madt>();
    ASSERT_TRUE(parse_madt(view(t), *m).ok());
    EXPECT_EQ(m->cpu_count, 4u);
    EXPECT_EQ(m->enabled_cpus(), 3u);
    EXPECT_EQ(m->cpus[3].apic_id, 0x100u);
    EXPECT_TRUE(m->cpus[3].x2apic);
    EXPECT_TRUE(m->cpus[2].online_capable);
    EXPECT_EQ(m->duplicate_cpus, 1u);
    EXPECT_EQ(m->io_apic_count, 2u);
    EXPECT_EQ(m->override_count, 2u);
    EXPECT_EQ(m->nmi_source_count, 1u);
    EXPECT_EQ(m->local_nmi_count, 2u);
    EXPECT_EQ(m->unknown_entries, 1u);
    EXPECT_EQ(m->malformed_entries, 1u);
    EXPECT_EQ(m->local_apic_address, 0xfee10000u);
    EXPECT_EQ(m->type_counts[0], 5u);
    EXPECT_TRUE(m->pcat_compatible());

    auto p = std::make_unique<Platform>();
    p->madt_state = Found::Parsed;
    p->madt = *m;
    const std::string text = report(*p);
    EXPECT_TRUE(contains(text, "cpus: 3 in the MADT (APIC IDs 0 1 256)\n")) << text;
    EXPECT_TRUE(contains(text, "cpus: 1 more can be brought online\n")) << text;
    EXPECT_TRUE(contains(text, "ioapic 1 at 0xfec01000, GSI base 24\n")) << text;
    EXPECT_TRUE(contains(text, "irq override: IRQ 9 -> GSI 9 (level, high)\n")) << text;
    EXPECT_TRUE(contains(text, "nmi: GSI 30 (edge, high)\n")) << text;
    EXPECT_TRUE(contains(text, "nmi: LINT1 on all CPUs\n")) << text;
    EXPECT_TRUE(contains(text, "nmi: LINT0 on CPU UID 4\n")) << text;
    EXPECT_TRUE(contains(text, "madt: 1 entries of unknown type skipped\n")) << text;
    EXPECT_TRUE(contains(text, "madt: 1 duplicate CPU entries ignored\n")) << text;
}

TEST(AcpiMadt, ZeroLengthEntryStopsTheWalk) {
    B b = madt_header();
    lapic(b, 0, 0, 1);
    append(b, 0, 1), append(b, 0, 1);  // length 0: would loop forever
    lapic(b, 1, 1, 1);
    auto m = std::make_unique<Madt>();
    const B t = table("APIC", b);
    auto r = parse_madt(view(t), *m);
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.error(), (TableError{Error::EntryTooShort, 52}));
    EXPECT_EQ(m->cpu_count, 1u);  // the entry before it is kept
}

TEST(AcpiMadt, EntryPastTheEndStopsTheWalk) {
    B b = madt_header();
    ioapic(b, 0, 0xfec00000, 0);
    b.resize(b.size() - 2);  // the entry claims 12 bytes, 10 remain
    auto m = std::make_unique<Madt>();
    const B t = table("APIC", b);
    EXPECT_EQ(parse_madt(view(t), *m).error(), (TableError{Error::EntryPastEnd, 44}));
    B one = madt_header();
    one.push_back(0);  // a lone type byte with no length
    const B t1 = table("APIC", one);
    EXPECT_EQ(parse_madt(view(t1), *m).error(), (TableError{Error::EntryPastEnd, 44}));
}

TEST(AcpiMadt, LengthBeyondTheBytesGivenIsRefused) {
    B t = table("APIC", madt_header());
    put(t, 4, 4096, 4);
    auto m = std::make_unique<Madt>();
    EXPECT_EQ(parse_madt(view(t), *m).error().error, Error::TooShort);
    EXPECT_EQ(parse_madt(view(table("APIX", madt_header())), *m).error().error,
              Error::BadSignature);
}

TEST(AcpiMadt, ThousandsOfCpusAreBounded) {
    B b = madt_header();
    for (uint32_t i = 0; i < 2000; ++i) x2apic(b, i, 1, i);
    auto m = std::make_unique<Madt>();
    const B t = table("APIC", b);
    ASSERT_TRUE(parse_madt(view(t), *m).ok());
    EXPECT_EQ(m->cpu_count, Madt::kMaxCpus);
    EXPECT_EQ(m->dropped, 2000 - Madt::kMaxCpus);
}

// ---------------------------------------------------------------- FADT

// A FADT of `length` bytes whose every field is set, so that what is
// absent can only be absent because of the length.
B full_fadt(uint32_t length, uint8_t revision) {
    B body(276 - 36, 0);
    B t = table("FACP", body, revision);
    put(t, 36, 0x1000, 4);   // FIRMWARE_CTRL
    put(t, 40, 0x2000, 4);   // DSDT
    put(t, 46, 9, 2);        // SCI
    put(t, 48, 0xb2, 4);     // SMI_CMD
    t[52] = 0xf1;            // ACPI_ENABLE
    put(t, 64, 0x604, 4);    // PM1a_CNT_BLK
    put(t, 68, 0x704, 4);    // PM1b_CNT_BLK
    t[89] = 2;               // PM1_CNT_LEN
    t[108] = 0x32;           // CENTURY: the RTC's register 0x32
    put(t, 109, 0x0003, 2);  // IAPC_BOOT_ARCH: legacy devices, 8042
    put(t, 112, (1u << 10) | (1u << 20), 4);
    t[116] = 1, t[117] = 8;  // RESET_REG: io, 8 bits
    put(t, 120, 0xcf9, 8);
    t[128] = 6;               // RESET_VALUE
    put(t, 140, 0x3000, 8);   // X_DSDT
    t[172] = 1, t[173] = 16;  // X_PM1a_CNT_BLK
    put(t, 176, 0xb004, 8);
    t.resize(length);
    put(t, 4, length, 4);
    acpi_test::fix_checksum(t, 9, t.size());
    return t;
}

TEST(AcpiFadt, EveryLengthFrom116To276) {
    for (uint32_t length = 116; length <= 276; ++length) {
        for (uint8_t revision : {1, 2, 6}) {
            const B t = full_fadt(length, revision);
            auto f = parse_fadt(view(t));
            ASSERT_TRUE(f.ok()) << length;
            EXPECT_EQ(f->length, length);
            EXPECT_EQ(f->sci_interrupt, 9);
            EXPECT_EQ(f->smi_command_port, 0xb2u);
            EXPECT_EQ(f->acpi_enable, 0xf1);
            EXPECT_EQ(f->century, 0x32);
            EXPECT_TRUE(f->hardware_reduced());
            EXPECT_EQ(f->has_boot_arch, revision >= 2) << length;
            if (f->has_boot_arch) {
                EXPECT_EQ(f->boot_arch, 3);
            }
            EXPECT_EQ(f->reset_supported(), length >= 129) << length;
            if (length >= 129) {
                EXPECT_EQ(f->reset_register, GenericAddress::io_port(0xcf9, 1));
            }
            // X_DSDT (140..147) wins only when the table holds all of it.
            EXPECT_EQ(f->dsdt, length >= 148 ? 0x3000u : 0x2000u) << length;
            EXPECT_EQ(f->pm1a_control.address, length >= 184 ? 0xb004u : 0x604u) << length;
            EXPECT_EQ(f->pm1b_control, GenericAddress::io_port(0x704, 2)) << length;
        }
    }
}

TEST(AcpiFadt, ShorterThanAcpi1IsRefused) {
    const B t = full_fadt(115, 1);
    EXPECT_EQ(parse_fadt(view(t)).error().error, Error::TooShort);
    B lying = full_fadt(200, 3);
    lying.resize(150);  // the header still says 200
    EXPECT_EQ(parse_fadt(view(lying)).error().error, Error::TooShort);
}

// ---------------------------------------------------------- HPET, MCFG

TEST(AcpiHpet, BaseAndComparators) {
    B body(20, 0);
    put(body, 0, 0x8086a201, 4);
    body[4] = 0;
    put(body, 8, 0xfed00000, 8);
    auto h = parse_hpet(view(table("HPET", body)));
    ASSERT_TRUE(h.ok());
    EXPECT_EQ(h->base.address, 0xfed00000u);
    EXPECT_EQ(h->comparators(), 3);
    EXPECT_EQ(h->vendor(), 0x8086);
    EXPECT_EQ(parse_hpet(view(table("HPET", B(19, 0)))).error().error, Error::TooShort);
}

TEST(AcpiMcfg, RegionsTrailingBytesAndInvalidRanges) {
    B body(8, 0);
    append(body, 0xb0000000, 8), append(body, 0, 2), append(body, 0, 1), append(body, 255, 1);
    append(body, 0, 4);
    append(body, 0xc0000000, 8), append(body, 1, 2), append(body, 9, 1), append(body, 3, 1);
    append(body, 0, 4);
    append(body, 0, 7);  // a partial entry
    auto m = parse_mcfg(view(table("MCFG", body)));
    ASSERT_TRUE(m.ok());
    EXPECT_EQ(m->count, 1u);
    EXPECT_EQ(m->invalid, 1u);
    EXPECT_TRUE(m->trailing_bytes);
    EXPECT_EQ(m->regions[0].base, 0xb0000000u);
    EXPECT_EQ(m->regions[0].end_bus, 255);
    EXPECT_EQ(parse_mcfg(view(table("MCFG", B(7, 0)))).error().error, Error::TooShort);
}

TEST(AcpiReport, InterruptFlags) {
    auto flags = [](uint16_t f, bool isa) {
        std::string s;
        struct Out {
            std::string* s;
            void write(const char* d, usize n) { s->append(d, n); }
        } o{&s};
        kfmt::Sink sink(o);
        write_inti_flags(sink, f, isa);
        return s;
    };
    EXPECT_EQ(flags(0, true), "edge, high");
    EXPECT_EQ(flags(0, false), "conforming");
    EXPECT_EQ(flags(0xd, true), "level, high");
    EXPECT_EQ(flags(0xf, true), "level, low");
    EXPECT_EQ(flags(0x5, true), "edge, high");
    EXPECT_EQ(flags(0xa, true), "reserved trigger, reserved polarity");
}

}  // namespace
}  // namespace kernel::acpi
