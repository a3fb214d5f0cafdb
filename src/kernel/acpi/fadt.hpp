// The Fixed ACPI Description Table, "FACP" (ACPI 6.5 §5.2.9): where the
// power-management registers are and how to reset the machine.
//
// Every revision is accepted, from the 116-byte ACPI 1.0 table to 276 bytes
// (6.x) and longer. A field exists only when the table's length covers it
// (and, for IAPC_BOOT_ARCH, when the revision defines it); otherwise it
// reads as absent. Where both a 32-bit block address and its 64-bit X_
// generic address exist, the X_ one wins when it is non-zero, as ACPICA does.
#pragma once

#include "kernel/acpi/bytes.hpp"
#include "kernel/acpi/error.hpp"
#include "kernel/acpi/gas.hpp"
#include "lib/result.hpp"

namespace kernel::acpi {

// The ACPI 1.0 FADT's length: anything shorter is not a FADT of any revision.
inline constexpr u32 kFadtMinLength = 116;

namespace fadt_flags {
inline constexpr u32 kResetRegSupported = 1U << 10;
inline constexpr u32 kHardwareReduced = 1U << 20;
inline constexpr u32 kLowPowerS0Idle = 1U << 21;
}  // namespace fadt_flags

namespace boot_arch {
inline constexpr u16 kLegacyDevices = 1U << 0;
inline constexpr u16 k8042 = 1U << 1;
inline constexpr u16 kNoVga = 1U << 2;
inline constexpr u16 kNoMsi = 1U << 3;
inline constexpr u16 kNoPcieAspm = 1U << 4;
inline constexpr u16 kNoCmosRtc = 1U << 5;
}  // namespace boot_arch

// A general-purpose event block (ACPI 6.4 §4.8.5.1, "General-Purpose Event
// Register Blocks"): byte-wide status registers fill its first half, the
// matching enable registers its second. Its length is GPEx_BLK_LEN, never the
// X_ field's bit width (which disagrees with it on 88 of the 193 corpus
// machines that have a GPE0 block; ACPICA also trusts the length byte).
struct GpeBlock {
    GenericAddress where;  // bit_width 8: one register; address 0: no block
    u8 length{};           // bytes, even: an odd last byte is left out

    [[nodiscard]] constexpr bool present() const { return where.present() && length >= 2; }
    // Status registers, and as many enable registers.
    [[nodiscard]] constexpr u8 registers() const { return static_cast<u8>(length / 2); }
};

struct Fadt {
    u8 revision{};
    u8 minor_revision{};  // 0 when the table is too short to say
    u32 length{};
    u64 facs{};  // X_FIRMWARE_CTRL when set, else FIRMWARE_CTRL
    u64 dsdt{};  // X_DSDT when set, else DSDT
    u16 sci_interrupt{};
    u32 smi_command_port{};  // 0: no SMI command port (ACPI mode is always on)
    u8 acpi_enable{};        // written to the SMI command port to enter ACPI mode
    u8 acpi_disable{};
    GenericAddress pm1a_event;
    GenericAddress pm1b_event;
    GenericAddress pm1a_control;
    GenericAddress pm1b_control;
    GenericAddress pm_timer;
    GpeBlock gpe0;
    GpeBlock gpe1;
    u8 gpe1_base{};  // the number of GPE1's first event (GPE0's are from 0)
    u8 century{};    // CMOS index of the RTC's century register (0: none)
    u32 flags{};
    bool has_boot_arch{};  // IAPC_BOOT_ARCH exists from revision 2 on
    u16 boot_arch{};
    bool has_reset_register{};  // the table is long enough to hold RESET_REG
    GenericAddress reset_register;
    u8 reset_value{};
    // Hardware-reduced ACPI's sleep registers (ACPI 5.0 on; absent, with
    // address 0, in shorter tables).
    GenericAddress sleep_control;
    GenericAddress sleep_status;

    [[nodiscard]] bool hardware_reduced() const {
        return (flags & fadt_flags::kHardwareReduced) != 0;
    }
    // The reset register may be used: the flag says so and the field exists.
    [[nodiscard]] bool reset_supported() const {
        return has_reset_register && (flags & fadt_flags::kResetRegSupported) != 0 &&
               reset_register.present();
    }
};

// `table` is the whole FADT, header included, already length-checked or not:
// parse_fadt reads only inside min(table.size(), header length).
Result<Fadt, TableError> parse_fadt(Bytes table);

}  // namespace kernel::acpi
