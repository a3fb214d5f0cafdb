// The HPET's General Capabilities and ID register (IA-PC HPET
// specification 1.0a, §2.3.4), decoded and checked. Hardware-independent:
// host-tested; hpet.cpp reads the register.
#pragma once

#include "lib/ktl/string_view.hpp"
#include "lib/ktl/types.hpp"
#include "lib/result.hpp"

namespace drivers::hpet {

// Register offsets in the HPET's 1 KiB block (§2.3.1).
inline constexpr usize kCapabilitiesOffset = 0x000;
inline constexpr usize kConfigurationOffset = 0x010;
inline constexpr usize kMainCounterOffset = 0x0F0;
inline constexpr u64 kConfigEnable = 1U << 0;  // ENABLE_CNF: the main counter runs

// The spec's longest period: 100 ns (a 10 MHz counter at least).
inline constexpr u32 kMaxPeriodFs = 100'000'000;
inline constexpr u64 kFemtosecondsPerSecond = 1'000'000'000'000'000;

struct Capabilities {
    u32 period_fs;  // COUNTER_CLK_PERIOD: femtoseconds per tick
    u8 timers;      // NUM_TIM_CAP + 1 comparators
    bool wide;      // COUNT_SIZE_CAP: the main counter has 64 bits
    bool legacy;    // LEG_RT_CAP: can stand in for the PIT and RTC IRQs
    u16 vendor;     // VENDOR_ID (PCI vendor numbering)
    u8 revision;    // REV_ID, never 0

    // Rounded: a 69841279 fs period is the 14.318180 MHz chipset clock.
    [[nodiscard]] u64 hz() const { return (kFemtosecondsPerSecond + period_fs / 2) / period_fs; }
    [[nodiscard]] u32 counter_bits() const { return wide ? 64 : 32; }
};

// The register's meaning, or why it is not an HPET's (a period of 0 or
// above 100 ns, revision 0: what reading unbacked memory gives, all ones or
// all zeros).
[[nodiscard]] Result<Capabilities, ktl::string_view> decode_capabilities(u64 value);

}  // namespace drivers::hpet
