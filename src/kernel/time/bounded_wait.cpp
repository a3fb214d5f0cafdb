#include "kernel/time/bounded_wait.hpp"

namespace kernel::time {

WaitCounter choose_wait_counter(const CounterFacts& facts) {
    if (facts.timestamp_hz != 0) return {WaitClock::Timestamp, facts.timestamp_hz, ~u64{0}};
    if (facts.reference_hz != 0 && facts.reference_bits != 0) {
        const u64 mask =
            facts.reference_bits >= 64 ? ~u64{0} : (u64{1} << facts.reference_bits) - 1;
        return {WaitClock::Reference, facts.reference_hz, mask};
    }
    // A TSC whose rate nobody measured: at the fastest rate any CPU's TSC
    // runs, its ticks cover the time asked on every slower one too.
    if (facts.timestamp_readable && facts.timestamp_max_hz != 0)
        return {WaitClock::TimestampAssumed, facts.timestamp_max_hz, ~u64{0}};
    return {WaitClock::Steps, kStepHz, ~u64{0}};
}

// Whole seconds and the rest apart, so no 128-bit division (the kernel
// has no __udivti3): the rest times any rate up to 18 THz fits in 64 bits.
u64 wait_ticks(u64 us, u64 hz) {
    constexpr u64 kSaturated = ~u64{0};
    constexpr u64 kPerSecond = 1'000'000;
    if (us == 0) return 0;
    u64 whole = 0;
    u64 rest = 0;
    if (__builtin_mul_overflow(us / kPerSecond, hz, &whole) ||
        __builtin_mul_overflow(us % kPerSecond, hz, &rest))
        return kSaturated;
    u64 ticks = 0;
    // Rounded up, then the tick the first reading may have been late by.
    const u64 rest_ticks = rest / kPerSecond + (rest % kPerSecond != 0 ? 1 : 0);
    if (__builtin_add_overflow(whole, rest_ticks, &ticks) ||
        __builtin_add_overflow(ticks, 1, &ticks))
        return kSaturated;
    return ticks;
}

}  // namespace kernel::time
