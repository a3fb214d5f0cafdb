// Power-off decided from the firmware's tables (kernel/power/power_off_plan,
// kernel/power/pm1.hpp) on QEMU's own FADTs and DSDTs, the PM1 register
// arithmetic, and the poweroff / reboot= boot options.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "acpi_builder.hpp"
#include "kernel/acpi/fadt.hpp"
#include "kernel/options/kernel_options.hpp"
#include "kernel/power/legacy_ports.hpp"
#include "kernel/power/power_off_plan.hpp"
#include "lib/format/buffer.hpp"

namespace kernel::power {
namespace {

namespace fs = std::filesystem;
using acpi::GenericAddress;

std::vector<uint8_t> read_file(const fs::path& path) {
    std::vector<uint8_t> bytes(fs::file_size(path));
    std::ifstream in(path, std::ios::binary);
    in.read(reinterpret_cast<char*>(bytes.data()), static_cast<std::streamsize>(bytes.size()));
    return bytes;
}

acpi::Bytes view(const std::vector<uint8_t>& b) { return acpi::Bytes{{b.data(), b.size()}}; }

std::string text(const PowerOffPlan& plan) {
    kfmt::Buffer<200> out;
    kfmt::Sink sink(out);
    describe(plan, sink);
    return {out.view().data(), out.view().size()};
}

// The plan for one captured machine: its FADT and its DSDT's \_S5_.
std::string plan_for(const char* machine) {
    const fs::path dir = fs::path(KEEL_TEST_DATA_DIR) / "acpi" / machine;
    const auto facp = read_file(dir / "facp.dat");
    const auto dsdt = read_file(dir / "dsdt.dat");
    const auto fadt = acpi::parse_fadt(view(facp));
    EXPECT_TRUE(fadt.ok()) << machine;
    const auto plan = plan_power_off(&*fadt, acpi::find_s5(view(dsdt)));
    EXPECT_TRUE(plan.ok()) << machine;
    return plan ? text(*plan) : std::string(describe(plan.error()).data());
}

Register io(u64 port, u8 bytes) {
    return {{static_cast<u8>(acpi::AddressSpace::Io), static_cast<u8>(bytes * 8), 0, bytes, port},
            bytes};
}

// A FADT block on another device's ports is named, never written: the
// random FADT sweep's PM1 event block at 0x64 reset the machine through
// the 8042.
TEST(LegacyPorts, RegistersOnOtherDevicesPortsAreNamed) {
    EXPECT_STREQ(legacy_device_at(io(0x64, 2)), "8042 controller");
    EXPECT_STREQ(legacy_device_at(io(0x5e, 4)), "8042 controller");  // runs into 0x60
    EXPECT_STREQ(legacy_device_at(io(0xcf8, 4)), "PCI configuration");
    EXPECT_STREQ(legacy_device_at(io(0x3f8, 1)), "COM1 UART");
    EXPECT_STREQ(legacy_device_at(io(0x43, 1)), "PIT");
    // QEMU's and real machines' ACPI blocks are elsewhere.
    EXPECT_EQ(legacy_device_at(io(0x600, 4)), nullptr);
    EXPECT_EQ(legacy_device_at(io(0xb000, 4)), nullptr);
    EXPECT_EQ(legacy_device_at(io(0x5c, 4)), nullptr);  // ends at 0x5f
    EXPECT_EQ(legacy_device_at(io(0x44, 4)), nullptr);
    // Memory space is never a port.
    Register mem = io(0x64, 2);
    mem.where.space = static_cast<u8>(acpi::AddressSpace::Memory);
    EXPECT_EQ(legacy_device_at(mem), nullptr);
}

TEST(PowerOffPlan, PortsComeFromTheFadtOfEachFirmware) {
    // SeaBIOS puts the PIIX4/ICH9 PM block at 0x600, OVMF at 0xB000 on pc
    // (platform-facts §4.3): a hard-coded port would miss one of them.
    EXPECT_EQ(plan_for("seabios-pc"), "PM1a control io 0x604, SLP_TYPa 0");
    EXPECT_EQ(plan_for("seabios-q35"), "PM1a control io 0x604, SLP_TYPa 0");
    EXPECT_EQ(plan_for("ovmf-pc"), "PM1a control io 0xb004, SLP_TYPa 0");
    EXPECT_EQ(plan_for("ovmf-q35"), "PM1a control io 0x604, SLP_TYPa 0");
}

TEST(PowerOffPlan, SaysWhatIsMissing) {
    const Result<acpi::SleepType, acpi::SleepTypeError> s5 = acpi::SleepType{5, 5, 40};
    EXPECT_EQ(plan_power_off(nullptr, s5).error(), PlanProblem::NoFadt);
    acpi::Fadt fadt{};
    EXPECT_EQ(plan_power_off(&fadt, s5).error(), PlanProblem::NoControlBlock);
    EXPECT_EQ(plan_power_off(&fadt, acpi::SleepTypeError::NotFound).error(),
              PlanProblem::NoSleepType);
    EXPECT_NE(std::string(describe(PlanProblem::NoSleepType).data()).find("_S5_"),
              std::string::npos);
}

TEST(PowerOffPlan, BothBlocksAndMemorySpace) {
    acpi::Fadt fadt{};
    fadt.pm1a_control = {0, 16, 0, 2, 0xfe000404};  // memory space (an X_ field)
    fadt.pm1b_control = GenericAddress::io_port(0x1004, 2);
    fadt.smi_command_port = 0xb2;
    fadt.acpi_enable = 0xf1;
    const auto plan = plan_power_off(&fadt, acpi::SleepType{7, 3, 40});
    ASSERT_TRUE(plan.ok());
    EXPECT_EQ(text(*plan),
              "PM1a control memory 0xfe000404, SLP_TYPa 7, PM1b control io 0x1004, SLP_TYPb 3");
    EXPECT_EQ(plan->smi_command, 0xb2u);
    EXPECT_EQ(plan->acpi_enable, 0xf1);
}

TEST(PowerOffPlan, HardwareReducedUsesTheSleepControlRegister) {
    acpi::Fadt fadt{};
    fadt.flags = acpi::fadt_flags::kHardwareReduced;
    fadt.sleep_control = {0, 8, 0, 1, 0x1800};
    const auto plan = plan_power_off(&fadt, acpi::SleepType{5, 5, 40});
    ASSERT_TRUE(plan.ok());
    EXPECT_TRUE(plan->hardware_reduced);
    EXPECT_EQ(text(*plan), "sleep control memory 0x1800, SLP_TYP 5");
    // SLP_TYP in bits 4:2, SLP_EN bit 5 (ACPI 6.5 §4.8.3.7).
    EXPECT_EQ(sleep_control_value(5), (5 << 2) | (1 << 5));
}

TEST(PowerOffPlan, SleepControlOfARealFadtLength) {
    // A 276-byte FADT carries SLEEP_CONTROL_REG at +244.
    acpi_test::Bytes body(276 - 36, 0);
    acpi_test::put(body, 244 - 36, 0x0800, 2);  // memory space, 8 bits wide
    acpi_test::put(body, 244 - 36 + 4, 0xfe00a000, 8);
    const auto t = acpi_test::table("FACP", body, 6);
    const auto fadt = acpi::parse_fadt(view(t));
    ASSERT_TRUE(fadt.ok());
    EXPECT_EQ(fadt->sleep_control.address, 0xfe00a000u);
    EXPECT_EQ(fadt->sleep_control.bit_width, 8);
}

TEST(Pm1Registers, EventBlockSplitsIntoStatusThenEnable) {
    const auto block = GenericAddress::io_port(0x600, 4);
    EXPECT_EQ(pm1_status_register(block).where.address, 0x600u);
    EXPECT_EQ(pm1_enable_register(block).where.address, 0x602u);
    EXPECT_EQ(pm1_enable_register(block).bytes, 2);
    EXPECT_FALSE(pm1_status_register({}).present());
    // SLP_TYP replaced, SLP_EN left for the second write, SCI_EN kept.
    EXPECT_EQ(with_sleep_type(0x3C01, 2, 5), 0x1401);
    EXPECT_EQ(with_sleep_type(0x0001, 2, 0), 0x0001);
}

TEST(Pm1Registers, SleepWriteKeepsOnlyTheBitsSoftwareMayWriteBack) {
    // BM_RLD and bit 9 kept with SCI_EN; GBL_RLS (write-only: a 1 would
    // signal the firmware) and reserved bits 3-8, 14-15 written as 0.
    EXPECT_EQ(with_sleep_type(0x0207, 2, 7), 0x1E03);
    EXPECT_EQ(with_sleep_type(0xC1F8, 2, 0), 0x0000);
    // The second write adds SLP_EN to exactly this.
    EXPECT_EQ(with_sleep_type(0x2001, 2, 5) | pm1_control::kSleepEnable, 0x3401);
}

TEST(Pm1Registers, SleepWriteAfterAFloatingReadStartsFromZero) {
    // A register nothing answered reads all ones: the sleep type alone is
    // written (the attempt to power off), not 0xFFFF with it.
    EXPECT_EQ(with_sleep_type(0xFFFF, 2, 5), 0x1400);
    EXPECT_EQ(with_sleep_type(0xFFFF'FFFF, 2, 0), 0x0000);  // drivers/power's absent register
    // Only the register's own bytes count: 0xFFFF is real in a wider read.
    EXPECT_EQ(with_sleep_type(0x0000'FFFF, 4, 5), 0x1603);
}

options::KernelOptions parse(const char* line, options::UnknownSink& sink) {
    options::KernelOptions o;
    options::parse_options(line, o, sink);
    return o;
}

TEST(PowerOptions, PoweroffAndRebootMethods) {
    options::UnknownSink sink;
    EXPECT_EQ(parse("poweroff", sink).power_action, options::PowerAction::PowerOff);
    auto o = parse("reboot", sink);
    EXPECT_EQ(o.power_action, options::PowerAction::Reboot);
    EXPECT_EQ(o.reboot_from, RebootMethod::AcpiResetRegister);
    EXPECT_EQ(parse("reboot=cf9", sink).reboot_from, RebootMethod::Cf9);
    EXPECT_EQ(parse("reboot=kbd", sink).reboot_from, RebootMethod::Keyboard);
    EXPECT_EQ(parse("reboot=triple", sink).reboot_from, RebootMethod::TripleFault);
    EXPECT_EQ(parse("reboot=acpi", sink).reboot_from, RebootMethod::AcpiResetRegister);
    EXPECT_EQ(sink.count, 0u);
    o = parse("reboot=warm poweroff=1 reboot=", sink);
    EXPECT_EQ(o.power_action, options::PowerAction::None);
    ASSERT_EQ(sink.count, 3u);
    EXPECT_EQ(sink.items[0].problem, options::OptionProblem::InvalidValue);
    EXPECT_EQ(sink.items[1].problem, options::OptionProblem::UnexpectedValue);
    EXPECT_EQ(sink.items[2].problem, options::OptionProblem::MissingValue);
}

}  // namespace
}  // namespace kernel::power
