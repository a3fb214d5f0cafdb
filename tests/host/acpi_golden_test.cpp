// The ACPI tables of QEMU itself (tests/data/acpi/, captured by
// tools/capture_acpi.py), placed back at their physical addresses and
// walked from the RSDP, as the kernel will: what a user reads in the boot
// log for each firmware and machine.
#include <gtest/gtest.h>

#include <fstream>
#include <iterator>
#include <memory>
#include <regex>
#include <string>

#include "acpi_builder.hpp"
#include "kernel/acpi/platform.hpp"
#include "kernel/acpi/report.hpp"
#include "lib/format/format.hpp"
#include "string_sink.hpp"

namespace kernel::acpi {
namespace {

using acpi_test::FakeMemory;

std::string read_file(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    EXPECT_TRUE(in) << "cannot open " << path;
    return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

struct Machine {
    FakeMemory memory;
    uint64_t rsdp = 0;
    std::unique_ptr<Platform> platform = std::make_unique<Platform>();
};

// Loads tests/data/acpi/<name>: every file at the address tables.json gives.
std::unique_ptr<Machine> load(const std::string& name) {
    auto m = std::make_unique<Machine>();
    const std::string dir = std::string(KEEL_TEST_DATA_DIR) + "/acpi/" + name;
    const std::string index = read_file(dir + "/tables.json");
    const std::regex entry(R"re("file": "([a-z0-9!]+\.dat)",\s*"phys": "0x([0-9a-f]+)")re");
    int files = 0;
    for (std::sregex_iterator it(index.begin(), index.end(), entry), end; it != end; ++it) {
        const std::string data = read_file(dir + "/" + (*it)[1].str());
        const uint64_t phys = std::stoull((*it)[2].str(), nullptr, 16);
        m->memory.place(phys, acpi_test::Bytes(data.begin(), data.end()));
        if ((*it)[1].str() == "rsdp.dat") m->rsdp = phys;
        ++files;
    }
    EXPECT_GE(files, 5) << dir;
    auto found = discover(m->memory.reader(), PhysAddr{m->rsdp}, *m->platform);
    EXPECT_TRUE(found.ok()) << name << ": " << (found ? "" : describe(found.error()).data());
    return m;
}

// QEMU's I/O APIC has 24 inputs (its version register says 0x17), which
// the boot reads into each MADT entry; the host has no chip to read, so the
// report is given QEMU's count (or, with kUnknownInputs, none).
constexpr u32 kQemuInputs = 24, kUnknownInputs = 0;
std::string report(const Platform& p, u32 inputs = kQemuInputs) {
    Platform read = p;
    for (usize i = 0; i < read.madt.io_apic_count; ++i) read.madt.io_apics[i].inputs = inputs;
    return host_test::written([&](kfmt::Sink& sink) { write_report(sink, read); });
}

TEST(AcpiGolden, SeaBiosPcFourCpus) {
    auto m = load("seabios-pc");
    EXPECT_EQ(report(*m->platform),
              "acpi: RSDP revision 0 (BOCHS ), RSDT at 0xffe1bef\n"
              "acpi: 6 tables (FACP APIC HPET WAET DSDT FACS)\n"
              "cpus: 4 in the MADT (APIC IDs 0 1 2 3)\n"
              "ioapic 0 at 0xfec00000, GSI 0-23\n"
              "irq override: IRQ 0 -> GSI 2 (edge, high)\n"
              "irq override: IRQ 5 -> GSI 5 (level, high)\n"
              "irq override: IRQ 9 -> GSI 9 (level, high)\n"
              "irq override: IRQ 10 -> GSI 10 (level, high)\n"
              "irq override: IRQ 11 -> GSI 11 (level, high)\n"
              "nmi: LINT1 on all CPUs\n"
              "fadt: revision 1 (116 bytes), SCI 9, PM1a control io 0x604, SMI command 0xb2 "
              "(enable 0xf1)\n"
              "fadt: no reset register\n"
              "hpet at 0xfed00000\n"
              "pci ecam: none (no MCFG)\n");
}

TEST(AcpiGolden, SeaBiosQ35HasEcamAndResetRegister) {
    auto m = load("seabios-q35");
    const Platform& p = *m->platform;
    ASSERT_EQ(p.madt_state, Found::Parsed);
    EXPECT_EQ(p.madt.enabled_cpus(), 4u);
    ASSERT_EQ(p.mcfg_state, Found::Parsed);
    ASSERT_EQ(p.mcfg.count, 1u);
    const std::string text = report(p);
    EXPECT_NE(text.find("pci ecam: segment 0 buses 0-255 at 0xb0000000\n"), std::string::npos)
        << text;
    EXPECT_NE(text.find("irq override: IRQ 0 -> GSI 2 (edge, high)\n"), std::string::npos) << text;
    EXPECT_NE(text.find("hpet at 0xfed00000\n"), std::string::npos) << text;
    ASSERT_EQ(p.fadt_state, Found::Parsed);
    EXPECT_EQ(p.fadt.revision, 3);
    EXPECT_EQ(p.fadt.length, 244u);
    // q35's ICH9 resets through port 0xCF9, and QEMU says so in the FADT.
    EXPECT_TRUE(p.fadt.reset_supported());
    EXPECT_EQ(p.fadt.reset_register, GenericAddress::io_port(0xcf9, 1));
    EXPECT_EQ(p.fadt.reset_value, 0x0f);
    EXPECT_EQ(p.fadt.pm1a_control.address, 0x604u);
    EXPECT_NE(text.find("fadt: reset register io 0xcf9 value 0xf\n"), std::string::npos) << text;
}

TEST(AcpiGolden, SmpOneWithoutHpet) {
    auto m = load("seabios-pc-nohpet");
    const std::string text = report(*m->platform);
    EXPECT_NE(text.find("cpus: 1 in the MADT (APIC IDs 0)\n"), std::string::npos) << text;
    EXPECT_NE(text.find("hpet: none\n"), std::string::npos) << text;
    EXPECT_EQ(m->platform->hpet_state, Found::Absent);
}

TEST(AcpiGolden, OvmfPcMovesThePmBlock) {
    auto m = load("ovmf-pc");
    const Platform& p = *m->platform;
    // OVMF programs the PIIX4 PM base at 0xB000, SeaBIOS at 0x600: the
    // port must come from the FADT.
    ASSERT_EQ(p.fadt_state, Found::Parsed);
    EXPECT_EQ(p.fadt.pm1a_control.address, 0xb004u);
    EXPECT_EQ(p.madt.enabled_cpus(), 1u);
    EXPECT_EQ(p.mcfg_state, Found::Absent);
    const std::string text = report(p);
    // OVMF's revision 2 RSDP, as GRUB's new-ACPI tag gives it to Keel: the
    // walk goes through the XSDT, not the RSDT beside it.
    EXPECT_TRUE(p.tables.root_is_xsdt());
    EXPECT_EQ(text.rfind("acpi: RSDP revision 2 (BOCHS ), XSDT at 0xf77d0e8\n", 0), 0u) << text;
    EXPECT_NE(text.find("acpi: 7 tables (FACP APIC HPET WAET BGRT DSDT FACS)\n"), std::string::npos)
        << text;
    EXPECT_NE(text.find("irq override: IRQ 0 -> GSI 2 (edge, high)\n"), std::string::npos) << text;
}

TEST(AcpiGolden, OvmfQ35) {
    auto m = load("ovmf-q35");
    const Platform& p = *m->platform;
    const std::string text = report(p);
    EXPECT_TRUE(p.tables.root_is_xsdt());
    EXPECT_EQ(text.rfind("acpi: RSDP revision 2 (BOCHS ), XSDT at 0xf77d0e8\n", 0), 0u) << text;
    EXPECT_NE(text.find("acpi: 8 tables (FACP APIC HPET MCFG WAET BGRT DSDT FACS)\n"),
              std::string::npos)
        << text;
    EXPECT_NE(text.find("cpus: 2 in the MADT (APIC IDs 0 1)\n"), std::string::npos) << text;
    EXPECT_NE(text.find("pci ecam: segment 0 buses 0-255 at 0xb0000000\n"), std::string::npos)
        << text;
    EXPECT_EQ(p.fadt.pm1a_control.address, 0x604u);
    EXPECT_NE(text.find("ioapic 0 at 0xfec00000, GSI 0-23\n"), std::string::npos) << text;
}

// A hostile MADT's I/O APIC whose GSI base is near 2^32: the report's range
// does not wrap around to small numbers.
TEST(AcpiGolden, IoApicRangeNearTheTopDoesNotWrap) {
    auto m = load("bochs");
    Platform p = *m->platform;
    p.madt.io_apics[0].gsi_base = 0xFFFFFFF0U;
    const std::string text = report(p);
    EXPECT_NE(text.find("ioapic 1 at 0xfec00000, GSI 4294967280-4294967303\n"), std::string::npos)
        << text;
}

// Bochs 2.7's BIOS (rombios32), captured at Keel's entry through Bochs'
// debugger: an ACPI 1.0 table set with an SSDT, one CPU, an I/O APIC whose
// ID is 1, no GPE block, and the PIIX4's PM block at 0xB000.
TEST(AcpiGolden, BochsBios) {
    auto m = load("bochs");
    const Platform& p = *m->platform;
    EXPECT_FALSE(p.tables.root_is_xsdt());
    EXPECT_EQ(report(p),
              "acpi: RSDP revision 0 (BOCHS ), RSDT at 0xfff0000\n"
              "acpi: 6 tables (FACP APIC SSDT HPET DSDT FACS)\n"
              "cpus: 1 in the MADT (APIC IDs 0)\n"
              "ioapic 1 at 0xfec00000, GSI 0-23\n"
              "irq override: IRQ 0 -> GSI 2 (edge, high)\n"
              "fadt: revision 1 (116 bytes), SCI 9, PM1a control io 0xb004, SMI command 0xb2 "
              "(enable 0xf1)\n"
              "fadt: no reset register\n"
              "hpet at 0xfed00000\n"
              "pci ecam: none (no MCFG)\n");
    ASSERT_EQ(p.fadt_state, Found::Parsed);
    EXPECT_EQ(p.fadt.pm1a_event, GenericAddress::io_port(0xb000, 4));
    EXPECT_FALSE(p.fadt.gpe0.present());
    EXPECT_FALSE(p.fadt.gpe1.present());
}

TEST(AcpiGolden, EveryCapturedTableHasAGoodChecksum) {
    for (const char* name :
         {"seabios-pc", "seabios-q35", "seabios-pc-nohpet", "ovmf-pc", "ovmf-q35", "bochs"}) {
        auto m = load(name);
        EXPECT_TRUE(m->platform->tables.root_checksum_ok()) << name;
        for (const TableEntry& e : m->platform->tables.entries())
            EXPECT_EQ(e.status, TableStatus::Ok) << name << " " << e.signature.text().chars;
        EXPECT_EQ(m->memory.reader().refused(), 0u) << name;
    }
}

TEST(AcpiGolden, WithoutIoApicInputsTheBaseIsShown) {
    auto m = load("seabios-pc");
    EXPECT_NE(report(*m->platform, kUnknownInputs).find("ioapic 0 at 0xfec00000, GSI base 0\n"),
              std::string::npos);
}

}  // namespace
}  // namespace kernel::acpi
