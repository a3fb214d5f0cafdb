// The 8254 programmable interval timer's channel 2, used as a stopwatch:
// its input clock runs at a fixed 1.193182 MHz on every PC, which makes it
// a reference to measure faster counters (the TSC) against.
#pragma once

#include "kernel/time/calibration.hpp"
#include "lib/ktl/types.hpp"

namespace drivers::pit {

inline constexpr u64 kInputHz = 1'193'182;

// Times one interval of `pit_ticks` (at most 65535) input clocks with
// `read_counter`, bracketed: the interval lasted between .low and .high
// counter ticks (see kernel/time/calibration.hpp). high == 0 when the PIT
// does not behave like one (absent, or not counting): it gives up after
// `max_counter` counter ticks or about two million port reads.
[[nodiscard]] kernel::time::Window measure(u32 pit_ticks, u64 (*read_counter)(), u64 max_counter);

}  // namespace drivers::pit
