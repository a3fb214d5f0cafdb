// The arithmetic of a bounded wait (docs/time.md, "Bounded waits"): which
// counter a wait counts with, how many of its ticks cover a number of
// microseconds, and when they have passed. Every wait of the kernel on
// hardware or on another CPU goes through arch::Timeout (arch/arch.hpp),
// which reads the counter; this part is hardware-independent and
// host-tested.
//
// The one rule: a wait is never shorter than asked, whatever the clock
// knows. A counter whose rate is unknown is taken at the fastest rate it
// could plausibly have (the wait is then longer, never shorter); only
// without any counter does a wait count ~1 us port writes, whose length
// the hardware decides (an emulator makes them shorter).
#pragma once

#include "lib/ktl/types.hpp"

namespace kernel::time {

// What a wait counts with, best first.
enum class WaitClock : u8 {
    Timestamp,  // the kernel's time counter (the TSC, or the HPET standing in) at its rate
    Reference,  // the HPET or ACPI PM timer (reference.hpp): the time counter's rate is unknown
    TimestampAssumed,  // the TSC, rate unknown and no reference: taken at its fastest plausible
                       // rate
    Steps,             // no counter at all: port writes of ~1 us (arch::io_delay), one per check
};

// What the machine's counters are now.
struct CounterFacts {
    u64 timestamp_hz;         // the time counter's rate, 0 while unknown
    bool timestamp_readable;  // a TSC exists (rate known or not)
    u64 timestamp_max_hz;     // the fastest rate a TSC could plausibly have
    u64 reference_hz;         // 0: no reference counter
    u32 reference_bits;       // it wraps modulo 2^bits (1..64)
};

struct WaitCounter {
    WaitClock clock;
    u64 hz;    // the rate its ticks are converted with (an upper bound when assumed)
    u64 mask;  // readings wrap modulo mask + 1
};

// Steps count as 1 us each.
inline constexpr u64 kStepHz = 1'000'000;

[[nodiscard]] WaitCounter choose_wait_counter(const CounterFacts& facts);

// The ticks at `hz` a wait of `us` must see pass: `us` converted and
// rounded up, plus one for the first reading, which may have been taken up
// to a tick after the wait began. 0 for 0 us (such a wait is over at once);
// saturates at the largest u64 instead of wrapping.
[[nodiscard]] u64 wait_ticks(u64 us, u64 hz);

// A wait's progress over successive readings of a counter that wraps
// modulo mask + 1: each interval counts modulo that, so a counter that
// wrapped more than once between two readings counts less time than
// passed (the wait gets longer), never more. Once passed, stays passed.
class WaitProgress {
public:
    constexpr WaitProgress() = default;
    constexpr WaitProgress(u64 first_reading, u64 budget, u64 mask)
        : last_(first_reading), budget_(budget), mask_(mask) {}

    // Takes a new reading; whether the budget has passed.
    [[nodiscard]] constexpr bool passed(u64 reading) {
        if (elapsed_ >= budget_) return true;
        const u64 step = (reading - last_) & mask_;
        last_ = reading;
        elapsed_ = step > budget_ - elapsed_ ? budget_ : elapsed_ + step;
        return elapsed_ >= budget_;
    }
    [[nodiscard]] constexpr bool done() const { return elapsed_ >= budget_; }
    [[nodiscard]] constexpr u64 elapsed() const { return elapsed_; }
    [[nodiscard]] constexpr u64 budget() const { return budget_; }

private:
    u64 last_ = 0;
    u64 elapsed_ = 0;
    u64 budget_ = 0;
    u64 mask_ = ~u64{0};
};

}  // namespace kernel::time
