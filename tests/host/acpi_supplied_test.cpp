// Tables the user supplies in boot modules (TableList::override_with,
// docs/acpi.md "Replacing a table"): one replaces the firmware's table of
// its signature before anything is parsed, an SSDT or a new signature is
// added, and a table that is not whole is refused with nothing changed.
#include <gtest/gtest.h>

#include <memory>
#include <string>

#include "acpi_builder.hpp"
#include "kernel/acpi/platform.hpp"
#include "kernel/acpi/report.hpp"

namespace kernel::acpi {
namespace {

using acpi_test::FakeMemory;
using acpi_test::lapic;
using acpi_test::madt_header;
using acpi_test::table;
using B = acpi_test::Bytes;

constexpr u64 kModule = 0x80000;  // where the test "loader" put the module

// Firmware with one MADT (APIC ID 0) and one SSDT, behind an RSDT.
struct Firmware {
    FakeMemory mem;
    std::unique_ptr<Platform> platform = std::make_unique<Platform>();
    Firmware() {
        mem.place(0xe0000, acpi_test::rsdp_v1(0x10000));
        mem.place(0x10000, acpi_test::root_table("RSDT", {0x20000, 0x30000}));
        B madt = madt_header();
        lapic(madt, 0, 0, 1);
        mem.place(0x20000, table("APIC", madt));
        mem.place(0x30000, table("SSDT", B(8, 0)));
    }
    Result<void, Error> discover(ktl::span<SuppliedTable> supplied) {
        return kernel::acpi::discover(mem.reader(), PhysAddr{0xe0000}, *platform, supplied);
    }
};

B madt_with_cpu(uint8_t apic_id) {
    B m = madt_header();
    lapic(m, 0, apic_id, 1);
    return table("APIC", m);
}

TEST(AcpiSupplied, ReplacesTheFirmwaresTableBeforeItIsParsed) {
    Firmware f;
    f.mem.place(kModule, madt_with_cpu(5));
    SuppliedTable s[] = {{PhysAddr{kModule}, madt_with_cpu(5).size()}};
    ASSERT_TRUE(f.discover(s).ok());
    ASSERT_TRUE(s[0].outcome.ok());
    EXPECT_EQ(s[0].outcome->signature, Signature::of("APIC"));
    EXPECT_EQ(s[0].outcome->replaced.value(), 0x20000u);
    EXPECT_TRUE(s[0].outcome->supplied);
    const TableEntry* used = f.platform->tables.find(Signature::of("APIC"));
    ASSERT_NE(used, nullptr);
    EXPECT_EQ(used->phys.value(), kModule);
    // The MADT parsed is the supplied one: its one CPU has APIC ID 5.
    ASSERT_EQ(f.platform->madt_state, Found::Parsed);
    ASSERT_EQ(f.platform->madt.cpu_count, 1u);
    EXPECT_EQ(f.platform->madt.cpus[0].apic_id, 5u);
    // Replaced in place: the list does not grow.
    EXPECT_EQ(f.platform->tables.entries().size(), 2u);
    // The report names it as the user's, not the firmware's.
    const std::string text = acpi_test::report(*f.platform);
    EXPECT_TRUE(acpi_test::contains(
        text, "acpi: APIC at 0x80000 comes from a boot module, in place of the one at 0x20000\n"))
        << text;
}

TEST(AcpiSupplied, AnSsdtOrANewSignatureIsAdded) {
    Firmware f;
    const B ssdt = table("SSDT", B(4, 0));
    const B hpet = table("HPET", B(20, 0));
    f.mem.place(kModule, ssdt);
    f.mem.place(kModule + 0x1000, hpet);
    SuppliedTable s[] = {{PhysAddr{kModule}, ssdt.size()},
                         {PhysAddr{kModule + 0x1000}, hpet.size()}};
    ASSERT_TRUE(f.discover(s).ok());
    ASSERT_TRUE(s[0].outcome.ok());
    ASSERT_TRUE(s[1].outcome.ok());
    EXPECT_EQ(s[0].outcome->replaced.value(), 0u);
    EXPECT_EQ(s[1].outcome->replaced.value(), 0u);
    EXPECT_EQ(f.platform->tables.entries().size(), 4u);
    EXPECT_EQ(f.platform->tables.find(Signature::of("SSDT"))->phys.value(), 0x30000u);
    EXPECT_EQ(f.platform->tables.find(Signature::of("HPET"))->phys.value(), kModule + 0x1000);
    const std::string text = acpi_test::report(*f.platform);
    EXPECT_TRUE(
        acpi_test::contains(text, "acpi: SSDT at 0x80000 comes from a boot module, added\n"))
        << text;
}

TEST(AcpiSupplied, ATableThatIsNotWholeIsRefusedWithNothingChanged) {
    Firmware f;
    B bad_sum = madt_with_cpu(5);
    bad_sum[9] ^= 0xff;
    f.mem.place(kModule, bad_sum);
    const B good = madt_with_cpu(6);
    f.mem.place(kModule + 0x1000, good);
    B facs(64, 0);
    facs[0] = 'F', facs[1] = 'A', facs[2] = 'C', facs[3] = 'S', facs[4] = 64;
    f.mem.place(kModule + 0x2000, facs);
    const B xsdt = acpi_test::root_table("XSDT", {0x20000});
    f.mem.place(kModule + 0x3000, xsdt);
    SuppliedTable s[] = {
        {PhysAddr{kModule}, bad_sum.size()},            // bad checksum
        {PhysAddr{kModule + 0x1000}, good.size() - 1},  // longer than its module
        {PhysAddr{kModule + 0x1000}, 20},               // a module shorter than a header
        {PhysAddr{kModule + 0x2000}, facs.size()},      // the FACS is the firmware's
        {PhysAddr{0x7000'0000}, 4096},                  // nothing readable there
        {PhysAddr{kModule + 0x3000}, xsdt.size()},      // a root table is the list itself
    };
    ASSERT_TRUE(f.discover(s).ok());
    EXPECT_EQ(s[0].outcome.error(), Error::BadChecksum);
    EXPECT_EQ(s[1].outcome.error(), Error::PastModuleEnd);
    EXPECT_EQ(s[2].outcome.error(), Error::TooShort);
    EXPECT_EQ(s[3].outcome.error(), Error::BadSignature);
    EXPECT_EQ(s[4].outcome.error(), Error::Unreadable);
    EXPECT_EQ(s[5].outcome.error(), Error::BadSignature);
    EXPECT_EQ(f.platform->tables.find(Signature::of("APIC"))->phys.value(), 0x20000u);
    EXPECT_EQ(f.platform->madt.cpus[0].apic_id, 0u);
    EXPECT_EQ(f.platform->tables.entries().size(), 2u);
}

// A second table of one signature replaces the first supplied one: the
// last module wins, and says what it replaced.
TEST(AcpiSupplied, TheLastOfTwoForOneSignatureIsUsed) {
    Firmware f;
    f.mem.place(kModule, madt_with_cpu(5));
    f.mem.place(kModule + 0x1000, madt_with_cpu(6));
    SuppliedTable s[] = {{PhysAddr{kModule}, madt_with_cpu(5).size()},
                         {PhysAddr{kModule + 0x1000}, madt_with_cpu(6).size()}};
    ASSERT_TRUE(f.discover(s).ok());
    EXPECT_EQ(s[1].outcome->replaced.value(), kModule);
    EXPECT_EQ(f.platform->madt.cpus[0].apic_id, 6u);
}

// A MADT whose second I/O APIC lies on the HPET's registers (the HPET table
// says where they are): it is taken off the list and named, so neither the
// report's version read nor the driver writes the HPET's configuration.
TEST(AcpiSupplied, AnIoApicOnTheHpetsRegistersIsTakenOff) {
    Firmware f;
    B hpet_body(20, 0);
    hpet_body[4] = 0;  // the base: memory space, at 0xfed00000
    hpet_body[8] = 0x00, hpet_body[9] = 0x00, hpet_body[10] = 0xd0, hpet_body[11] = 0xfe;
    const B hpet = table("HPET", hpet_body);
    B madt = madt_header();
    lapic(madt, 0, 0, 1);
    acpi_test::ioapic(madt, 0, 0xfec00000, 0);
    acpi_test::ioapic(madt, 1, 0xfed00010, 24);
    const B madt_table = table("APIC", madt);
    f.mem.place(kModule, madt_table);
    f.mem.place(kModule + 0x1000, hpet);
    SuppliedTable s[] = {{PhysAddr{kModule}, madt_table.size()},
                         {PhysAddr{kModule + 0x1000}, hpet.size()}};
    ASSERT_TRUE(f.discover(s).ok());
    ASSERT_EQ(f.platform->hpet_state, Found::Parsed);
    ASSERT_EQ(f.platform->madt.io_apic_count, 1u);
    EXPECT_EQ(f.platform->madt.io_apics[0].address, 0xfec00000u);
    const std::string text = acpi_test::report(*f.platform);
    EXPECT_TRUE(acpi_test::contains(
        text, "ioapic 1 at 0xfed00010 ignored: its registers lie in the HPET's\n"))
        << text;
}

TEST(AcpiSupplied, AFullListRefusesAnAddition) {
    TableList list;
    FakeMemory mem;
    const B ssdt = table("SSDT", B(4, 0));
    B all;  // one more copy than the list holds, back to back
    for (usize i = 0; i <= TableList::kCapacity; ++i)
        all.insert(all.end(), ssdt.begin(), ssdt.end());
    mem.place(kModule, all);
    for (usize i = 0; i < TableList::kCapacity; ++i)
        ASSERT_TRUE(
            list.override_with(mem.reader(), PhysAddr{kModule + i * ssdt.size()}, ssdt.size())
                .ok());
    const PhysAddr last{kModule + TableList::kCapacity * ssdt.size()};
    EXPECT_EQ(list.override_with(mem.reader(), last, ssdt.size()).error(), Error::ListFull);
    EXPECT_EQ(list.entries().size(), TableList::kCapacity);
}

}  // namespace
}  // namespace kernel::acpi
