// The monotonic clock: nanoseconds since boot, from a fast counter (the
// TSC) whose rate the Clock phase measured (docs/time.md).
//
// The counter is converted with a multiply and a shift, never a division,
// and the product is split so that it cannot overflow before the result
// itself would (in 584 years). The clock is started once, before interrupts
// are enabled and before other CPUs run; from then on its parameters are
// read-only, so now_ns() takes no lock and may be called from interrupt
// handlers. Hardware-independent: the counter is a function pointer (the
// TSC in the kernel, a fake on the host).
#pragma once

#include "lib/ktl/types.hpp"

namespace kernel::time {

inline constexpr u64 kNanosecondsPerSecond = 1'000'000'000;

// ns = (ticks * mult) >> shift, mult < 2^32 and shift <= 32.
struct Scale {
    u64 mult;
    u32 shift;
};

// The scale for a counter running at `hz` (at least 1 Hz, at most 1 THz:
// precise to better than 1 part in 2^31 from 1 MHz up).
[[nodiscard]] Scale scale_for(u64 hz);

// ticks converted with `scale`, exact to the nanosecond's floor.
[[nodiscard]] u64 to_ns(u64 ticks, Scale scale);

// `ticks` of a counter at `hz` (not 0) in whole microseconds, with a
// division: for reports and one-off spans, not for hot paths. Split so that
// ticks * 10^6 stays in 64 bits for hours of ticks at several GHz.
[[nodiscard]] constexpr u64 ticks_to_us(u64 ticks, u64 hz) {
    return ticks / hz * 1'000'000 + ticks % hz * 1'000'000 / hz;
}

// Starts the clock: `read_counter` at rate `hz`, counting from `origin` (the
// counter's value at the boot's first instruction). Called once at boot.
void start_clock(u64 (*read_counter)(), u64 origin, u64 hz);

// Whether start_clock has run (false: the counter's rate is unknown).
[[nodiscard]] bool clock_running();

// Nanoseconds since the counter read `origin`; 0 before start_clock.
// Monotonic on each CPU; across CPUs once keep_monotonic_across_cpus(true).
[[nodiscard]] u64 now_ns();

// With several CPUs each reads its own counter, and counters that are not
// synchronised (or a reading taken a little early) could make now_ns() on
// one CPU return less than a value another CPU already returned. On: every
// result is at least the largest one returned so far, on any CPU (a global
// last value, advanced by compare-and-swap). The Smp phase turns it on when
// a second CPU comes online, whatever the TSC check found (docs/smp.md,
// "The TSC across CPUs").
void keep_monotonic_across_cpus(bool on);

// The counter's rate given to start_clock (0 before).
[[nodiscard]] u64 counter_hz();

}  // namespace kernel::time
