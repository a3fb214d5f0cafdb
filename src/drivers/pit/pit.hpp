// The 8254 programmable interval timer's channel 2, used as a stopwatch:
// its input clock runs at a fixed 1.193182 MHz on every PC, which makes it
// a reference to measure faster counters (the TSC) against.
#pragma once

#include "lib/ktl/types.hpp"

namespace drivers::pit {

inline constexpr u64 kInputHz = 1'193'182;

// Counts how far `read_counter` advances while channel 2 counts down
// `pit_ticks` (at most 65535) input clocks. Returns 0 when the PIT does not
// behave like one (absent, or not counting): it gives up after `max_counter`
// counter ticks or about two million port reads, whichever comes first.
[[nodiscard]] u64 measure(u32 pit_ticks, u64 (*read_counter)(), u64 max_counter);

}  // namespace drivers::pit
