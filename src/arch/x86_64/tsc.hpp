// The time-stamp counter: the kernel's clock. Its rate is measured against
// a reference (the HPET, the PM timer, the PIT: src/init/clock.cpp) or read
// from CPUID. A CPU without one (CPUID.01H:EDX.TSC clear: RDTSC would fault)
// gets another counter instead (use_counter): every reader of the kernel's
// time counter goes through read(), never RDTSC itself.
#pragma once

#include "lib/ktl/string_view.hpp"
#include "lib/ktl/types.hpp"

namespace arch::tsc {

// Whether the CPU has a time-stamp counter (CPUID.01H:EDX.TSC).
[[nodiscard]] bool present();
// The kernel's time counter: the TSC, else the counter use_counter gave,
// else 0.
[[nodiscard]] u64 read();
// Without a TSC: `counter` (64 bits wide, never wrapping in practice) at
// `hz` becomes the time counter, counted from now; `source` names it.
void use_counter(u64 (*counter)(), u64 hz, ktl::string_view source);
// Whether the time counter started at the trampoline (the TSC): only then
// is `ready in` the whole boot.
[[nodiscard]] bool counts_from_boot();
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
