// The ACPI power-management timer (ACPI 6.5 §4.8.3.3): a 24- or 32-bit
// counter at 3.579545 MHz in I/O (or, rarely, memory) space, named by the
// FADT's PM_TMR_BLK / X_PM_TMR_BLK. Cheaper to find than the HPET (no
// mapping) but slower to read and coarser; the second choice to measure the
// TSC against. Set up once at boot, read-only afterwards: no lock.
#pragma once

#include "kernel/acpi/fadt.hpp"
#include "lib/ktl/string_view.hpp"
#include "lib/result.hpp"

namespace drivers::pm_timer {

inline constexpr u64 kHz = 3'579'545;
// FADT flag TMR_VAL_EXT: the counter has 32 bits, not 24.
inline constexpr u32 kFadtTimerValExt = 1U << 8;

// Takes the FADT's timer; fails with the reason when there is none, it is
// in an address space other than I/O or memory, or it does not count.
Result<void, ktl::string_view> init(const kernel::acpi::Fadt& fadt);

[[nodiscard]] bool present();
[[nodiscard]] u32 counter_bits();  // 24 or 32
// The counter (modulo 2^counter_bits()); 0 without a timer.
[[nodiscard]] u64 read_counter();
// "port 0x608" or "memory 0x...", for the log.
[[nodiscard]] u64 address();
[[nodiscard]] bool in_io_space();

}  // namespace drivers::pm_timer
