// The local APIC timer's arithmetic, hardware-independent (host-tested in
// tests/host/apic_test.cpp): its rate from windows timed with the TSC, the
// count that makes a one-shot expire at a TSC deadline, and the tick's
// next deadline. The tick is a one-shot re-armed for an absolute TSC
// deadline each time (or the TSC-deadline mode itself where the CPU has
// it), so its rate follows the TSC and does not drift with the time a
// handler takes.
#pragma once

#include "lib/ktl/span.hpp"
#include "lib/ktl/types.hpp"

namespace arch::apic {

// a * b / c without 128-bit division (the kernel has no libgcc): exact
// while a * b fits 64 bits, else split, within b of exact. 0 for c == 0.
[[nodiscard]] constexpr u64 mul_div(u64 a, u64 b, u64 c) {
    if (c == 0) return 0;
    u64 product = 0;
    if (!__builtin_mul_overflow(a, b, &product)) return product / c;
    return a / c * b + a % c * b / c;
}

// The timer's count rate from `counts` counted while the TSC advanced
// `tsc_elapsed` at `tsc_hz`; 0 for an empty window.
[[nodiscard]] constexpr u64 rate_from_window(u64 counts, u64 tsc_elapsed, u64 tsc_hz) {
    return mul_div(counts, tsc_hz, tsc_elapsed);
}

// The median of up to 8 rates (the middle one, the lower of two); 0 when
// there are none.
[[nodiscard]] u64 median_rate(ktl::span<const u64> rates);

// `measured` as a multiple of `reference`, in hundredths (100 = the same
// rate), rounded to nearest; 0 when the reference is 0.
[[nodiscard]] constexpr u64 ratio_hundredths(u64 measured, u64 reference) {
    return (mul_div(measured, 200, reference) + 1) / 2;
}
// Whether `measured` is within `tolerance_percent` of `reference` (an AP's
// timer against the boot CPU's calibration); never for a zero reference.
[[nodiscard]] constexpr bool rates_agree(u64 measured, u64 reference, u64 tolerance_percent) {
    if (reference == 0) return false;
    const u64 diff = measured > reference ? measured - reference : reference - measured;
    return diff <= mul_div(reference, tolerance_percent, 100);
}

// The initial count that expires `tsc_delta` TSC ticks from now, at least
// 1 (0 would stop the timer) and at most 2^32 - 1.
[[nodiscard]] constexpr u32 oneshot_count(u64 tsc_delta, u64 tsc_hz, u64 timer_hz) {
    if (tsc_hz == 0) return 1;
    const u64 count = mul_div(tsc_delta, timer_hz, tsc_hz);
    if (count == 0) return 1;
    return count > 0xFFFFFFFFU ? 0xFFFFFFFFU : static_cast<u32>(count);
}

// After a tick due at `deadline`: the next deadline later than `now`, on
// the grid of `period`, and how many ticks were missed on the way (a CPU
// held with interrupts off for longer than a period).
struct NextTick {
    u64 deadline;
    u64 missed;
};
[[nodiscard]] constexpr NextTick next_tick(u64 deadline, u64 period, u64 now) {
    if (period == 0) return {now, 0};
    u64 next = deadline + period;
    if (next > now) return {next, 0};
    const u64 behind = (now - next) / period + 1;
    return {next + behind * period, behind};
}

// How long a one-shot armed for `armed_for` TSC ticks took to interrupt,
// `took` ticks, in thousandths of what it was armed for (1000: on time),
// at most 65535; 0 for a zero `armed_for`. The test of the timer's
// calibration: a host that holds the CPU makes some periods late, never
// early, while a mis-measured count rate makes every period early or late
// by the same factor.
[[nodiscard]] constexpr u16 period_permille(u64 took, u64 armed_for) {
    if (armed_for == 0) return 0;
    const u64 permille = mul_div(took, 1000, armed_for);
    return permille > 0xFFFF ? 0xFFFF : static_cast<u16>(permille);
}

// The smallest and the median (the lower of two) of up to 128 such
// figures; zeros when there are none.
struct Spread {
    u32 min;
    u32 median;
};
[[nodiscard]] Spread spread_of(ktl::span<const u16> values);

}  // namespace arch::apic
