// The time-stamp counter: the kernel's clock. Its rate is measured against
// a reference (the PIT, src/init/) or read from CPUID.
#pragma once

#include "lib/ktl/string_view.hpp"
#include "lib/ktl/types.hpp"

namespace arch::tsc {

// Whether the CPU has a time-stamp counter (CPUID.01H:EDX.TSC).
[[nodiscard]] bool present();
[[nodiscard]] u64 read();
// CPUID's own statement of the rate (leaves 15H/16H), 0 when it makes none.
[[nodiscard]] u64 rate_from_cpuid();
// Rates outside [kMinHz, kMaxHz] mean a measurement is wrong. Bochs' TSC
// runs at its emulated instruction rate, hence the low minimum.
inline constexpr u64 kMinHz = 1'000'000;
inline constexpr u64 kMaxHz = 20'000'000'000;
[[nodiscard]] constexpr bool plausible(u64 hz) { return hz >= kMinHz && hz <= kMaxHz; }
// Records the rate and where it came from (for the boot log).
void set_rate(u64 hz, ktl::string_view source);
[[nodiscard]] ktl::string_view rate_source();
// Ticks per second, 0 before set_rate.
[[nodiscard]] u64 hz();
// The TSC value the trampoline read at its first safe instruction.
[[nodiscard]] u64 boot_timestamp();

}  // namespace arch::tsc
