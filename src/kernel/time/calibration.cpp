#include "kernel/time/calibration.hpp"

namespace kernel::time {

namespace {

// a * b / c, exact while a * b fits 64 bits (every real window), else split
// (within c of exact). No 128-bit division: the kernel has no libgcc.
u64 mul_div(u64 a, u64 b, u64 c) {
    u64 product = 0;
    if (!__builtin_mul_overflow(a, b, &product)) return product / c;
    return a / c * b + a % c * b / c;
}

u64 to_hz(u64 ticks, u64 reference_ticks, u64 reference_hz) {
    return mul_div(ticks, reference_hz, reference_ticks);
}

bool tight(u64 low, u64 high) {
    if (high == 0 || high < low) return false;
    const u64 mid = low + (high - low) / 2;
    return (high - low) * kMaxSpreadDivisor <= mid;
}

// The median of the individually good windows' rates, 0 with too few.
u64 median_of_good(ktl::span<const Window> windows, u64 reference_hz, u32& good) {
    constexpr usize kMaxWindows = 64;
    u64 mids[kMaxWindows];
    good = 0;
    for (const Window& w : windows) {
        if (!good_window(w) || good == kMaxWindows) continue;
        const u64 mid = to_hz(w.low + (w.high - w.low) / 2, w.reference_ticks, reference_hz);
        usize i = good++;  // insertion sort: a handful of windows
        while (i > 0 && mids[i - 1] > mid) {
            mids[i] = mids[i - 1];
            --i;
        }
        mids[i] = mid;
    }
    if (good < kMinGoodWindows) return 0;
    const usize n = good;
    return n % 2 == 1 ? mids[n / 2] : mids[n / 2 - 1] + (mids[n / 2] - mids[n / 2 - 1]) / 2;
}

}  // namespace

bool good_window(const Window& w) { return w.reference_ticks != 0 && tight(w.low, w.high); }

RateEstimate estimate_rate(ktl::span<const Window> windows, u64 reference_hz) {
    RateEstimate estimate{0, 0, 0, 0};
    // Every window bounds the rate from both sides; a preempted one only
    // loosens its own bounds. Their intersection is tight as soon as one
    // window ended undisturbed and one began so, even when none was both.
    // The intersection: the highest low bound and the lowest high bound.
    u64 ceiling_hz = ~0ULL;
    u64 floor_hz = 0;
    u32 measured = 0;
    for (const Window& w : windows) {
        if (w.high == 0 || w.reference_ticks == 0 || w.high < w.low) {
            ++estimate.failed;
            continue;
        }
        ++measured;
        // The reference counts from its first edge after the start, so the
        // interval is N to N + 1 of its ticks long: the bounds allow both.
        const u64 low = to_hz(w.low, w.reference_ticks + 1, reference_hz);
        const u64 high = to_hz(w.high, w.reference_ticks, reference_hz);
        if (low > floor_hz) floor_hz = low;
        if (high < ceiling_hz) ceiling_hz = high;
        if (!good_window(w)) ++estimate.disturbed;
    }
    if (measured >= kMinGoodWindows && tight(floor_hz, ceiling_hz)) {
        estimate.hz = floor_hz + (ceiling_hz - floor_hz) / 2;
        estimate.good = measured - estimate.disturbed;
        return estimate;
    }
    // Bounds that contradict each other (a window that is wrong, not only
    // loose): fall back on the median of the windows tight on their own.
    estimate.hz = median_of_good(windows, reference_hz, estimate.good);
    return estimate;
}

bool enough_good_windows(ktl::span<const Window> windows, u64 reference_hz) {
    return estimate_rate(windows, reference_hz).hz != 0;
}

bool rate_fits_window(u64 rate, const Window& window, u64 reference_hz, u64 tolerance_ppm) {
    if (window.high == 0 || window.reference_ticks == 0 || reference_hz == 0) return true;
    const u64 low = mul_div(window.low, reference_hz, window.reference_ticks);
    const u64 high = mul_div(window.high, reference_hz, window.reference_ticks) + 1;
    const u64 lowest = low - mul_div(low, tolerance_ppm, 1'000'000);
    const u64 highest = high + mul_div(high, tolerance_ppm, 1'000'000);
    return rate >= lowest && rate <= highest;
}

u64 difference_ppm(u64 a, u64 b) {
    if (a == 0) return ~0ULL;
    const u64 diff = a > b ? a - b : b - a;
    return mul_div(diff, 1'000'000, a);
}

}  // namespace kernel::time
