// The wall clock: the date read from the battery-backed clock once at boot,
// advanced by the monotonic clock (kernel/time/clock.hpp). Reading the CMOS
// clock again would need its port pair and a lock; this needs neither, and
// is what the shell's `date` command prints. Set once at boot, before
// interrupts are enabled; read-only afterwards.
#pragma once

#include "kernel/time/calendar.hpp"
#include "lib/ktl/optional.hpp"

namespace kernel::time {

// The date `at` read at monotonic time `at_ns` (now_ns() when it was read).
void set_wall_clock(const DateTime& at, u64 at_ns);

// Seconds since the Unix epoch now; nullopt when the date was never read
// (no clock, or it held nonsense).
[[nodiscard]] ktl::optional<u64> wall_clock_seconds();

// The same as a date.
[[nodiscard]] ktl::optional<DateTime> wall_clock_now();

}  // namespace kernel::time
