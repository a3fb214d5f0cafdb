// The time-stamp counter, calibrated against the PIT: the kernel's clock.
#pragma once

#include "kernel/lib/ktl/types.hpp"

namespace arch::tsc {

// Measures the TSC rate against PIT channel 2 over a fixed window.
// Returns false (and leaves the rate unknown) when the PIT never answers.
bool calibrate();
// Ticks per second, 0 before a successful calibration.
[[nodiscard]] u64 hz();
// The TSC value the trampoline read at its first safe instruction.
[[nodiscard]] u64 boot_timestamp();
// Microseconds since boot_timestamp(), 0 when the rate is unknown.
[[nodiscard]] u64 microseconds_since_boot();

}  // namespace arch::tsc
