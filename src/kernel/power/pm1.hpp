// The ACPI fixed-hardware power-management registers Keel touches (ACPI
// 6.5 §4.8.3): the PM1 event block (status, then enable), the PM1 control
// block, and hardware-reduced ACPI's sleep control register.
#pragma once

#include "kernel/acpi/gas.hpp"
#include "kernel/power/register_value.hpp"
#include "lib/ktl/types.hpp"

namespace kernel::power {

namespace pm1_status {  // PM1 status and enable share bit positions (§4.8.3.1)
inline constexpr u16 kTimer = 1U << 0;
inline constexpr u16 kBusMaster = 1U << 4;    // BM_STS (status only)
inline constexpr u16 kGlobalLock = 1U << 5;   // GBL_STS / GBL_EN
inline constexpr u16 kPowerButton = 1U << 8;  // PWRBTN_STS / PWRBTN_EN
inline constexpr u16 kSleepButton = 1U << 9;  // SLPBTN_STS / SLPBTN_EN
inline constexpr u16 kRtc = 1U << 10;         // RTC_STS / RTC_EN
inline constexpr u16 kPcieWake = 1U << 14;    // PCIEXP_WAKE_STS / PCIEXP_WAKE_DIS
inline constexpr u16 kWake = 1U << 15;        // WAK_STS (status only)
// Every status bit ACPI defines (ACPI 6.5 table 4.11); the others are
// reserved, and software writes 0 to them.
inline constexpr u16 kAll =
    kTimer | kBusMaster | kGlobalLock | kPowerButton | kSleepButton | kRtc | kPcieWake | kWake;
}  // namespace pm1_status

// The status bits set in a PM1 status read of `bytes` bytes, 0 when the
// read is all ones in those bytes: nothing decodes the port (the bus
// floats), since a real register reads its reserved bits as 0.
[[nodiscard]] constexpr u16 pm1_pending(u32 value, u8 bytes) {
    if (reads_nothing(value, bytes)) return 0;
    return static_cast<u16>(value & width_mask(bytes) & pm1_status::kAll);
}

namespace pm1_control {  // §4.8.3.2.1
inline constexpr u16 kSciEnable = 1U << 0;
inline constexpr u16 kBusMasterReload = 1U << 1;  // BM_RLD
inline constexpr u16 kGlobalRelease = 1U << 2;    // GBL_RLS: write-only, a 1 signals the firmware
inline constexpr u16 kIgnored = 1U << 9;          // software preserves it
inline constexpr u16 kSleepTypeShift = 10;
inline constexpr u16 kSleepTypeMask = 7U << kSleepTypeShift;
inline constexpr u16 kSleepEnable = 1U << 13;
// What a sleep write carries over from a read: the others are reserved
// (3-8, 14-15: written as 0), write-only (GBL_RLS, SLP_EN) or replaced.
inline constexpr u16 kKeptForSleep = kSciEnable | kBusMasterReload | kIgnored;
}  // namespace pm1_control

// SCI_EN in a PM1 control read of `bytes` bytes: set only when something
// answered (a 2-byte block nothing decodes reads 0xFFFF, bit 0 set).
[[nodiscard]] constexpr bool sci_enabled(u32 control, u8 bytes) {
    return !reads_nothing(control, bytes) && (control & pm1_control::kSciEnable) != 0;
}

namespace sleep_control {  // hardware-reduced ACPI, §4.8.3.7
inline constexpr u8 kSleepTypeShift = 2;
inline constexpr u8 kSleepTypeMask = 7U << kSleepTypeShift;
inline constexpr u8 kSleepEnable = 1U << 5;
}  // namespace sleep_control

// One register: where (a generic address) and how wide an access is.
struct Register {
    acpi::GenericAddress where;
    u8 bytes = 0;  // 1, 2 or 4
    [[nodiscard]] constexpr bool present() const { return where.present() && bytes != 0; }
};

// The PM1 event block holds two registers of half its length each: status
// at its start, enable right after (§4.8.3.1). A block without a length
// (an X_ field leaving bit_width 0) is taken as the usual 4 bytes.
[[nodiscard]] constexpr Register pm1_half(const acpi::GenericAddress& block, bool enable) {
    if (!block.present()) return {};
    const u8 half = block.bit_width >= 16 ? static_cast<u8>(block.bit_width / 16) : 2;
    const u8 bytes = half >= 2 ? 2 : half;  // the registers are 16 bits wide
    acpi::GenericAddress r = block;
    r.bit_width = static_cast<u8>(bytes * 8);
    if (enable) r.address += half;
    return {r, bytes};
}
[[nodiscard]] constexpr Register pm1_status_register(const acpi::GenericAddress& block) {
    return pm1_half(block, false);
}
[[nodiscard]] constexpr Register pm1_enable_register(const acpi::GenericAddress& block) {
    return pm1_half(block, true);
}
// PM1 control is 16 bits wide whatever the block's length says.
[[nodiscard]] constexpr Register pm1_control_register(const acpi::GenericAddress& block) {
    if (!block.present()) return {};
    acpi::GenericAddress r = block;
    r.bit_width = 16;
    return {r, 2};
}
[[nodiscard]] constexpr Register byte_register(const acpi::GenericAddress& where) {
    if (!where.present()) return {};
    return {where, 1};
}

// PM1 control for a sleep, from a read of `bytes` bytes: SLP_TYP set and
// SLP_EN clear, written first, then again with SLP_EN, as the sleep type
// must be in place when SLP_EN is set. Only the read's kKeptForSleep bits
// carry over. A read of all ones (nothing answered it) gives no base to
// keep: the sleep type goes into 0, the register's reset value, since the
// write is still the attempt to power off, and 0xFFFF as a base would set
// GBL_RLS, BM_RLD, SCI_EN and reserved bits.
[[nodiscard]] constexpr u16 with_sleep_type(u32 control, u8 bytes, u8 type) {
    const u32 base = reads_nothing(control, bytes) ? 0 : control & pm1_control::kKeptForSleep;
    return static_cast<u16>(base | ((type & 7U) << pm1_control::kSleepTypeShift));
}
[[nodiscard]] constexpr u8 sleep_control_value(u8 type) {
    return static_cast<u8>(((type & 7U) << sleep_control::kSleepTypeShift) |
                           sleep_control::kSleepEnable);
}

}  // namespace kernel::power
