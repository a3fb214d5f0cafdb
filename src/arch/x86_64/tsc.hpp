// The time-stamp counter, calibrated against the PIT: the kernel's clock.
#pragma once

#include "kernel/lib/ktl/string_view.hpp"
#include "kernel/lib/ktl/types.hpp"

namespace arch::tsc {

// Measures the TSC rate against PIT channel 2 over a 10 ms window; when
// the PIT gives no plausible answer, takes the rate CPUID states, if any.
// Returns false (and leaves the rate unknown) when neither works.
bool calibrate();
// Where the rate came from, for the boot log.
[[nodiscard]] ktl::string_view rate_source();
// Ticks per second, 0 before a successful calibration.
[[nodiscard]] u64 hz();
// The TSC value the trampoline read at its first safe instruction.
[[nodiscard]] u64 boot_timestamp();
// Microseconds since boot_timestamp(), 0 when the rate is unknown.
[[nodiscard]] u64 microseconds_since_boot();

}  // namespace arch::tsc
