#include "kernel/time/calibration.hpp"

namespace kernel::time {

namespace {

bool good(const Window& w) {
    if (w.high == 0 || w.high < w.low) return false;
    const u64 mid = w.low + (w.high - w.low) / 2;
    return (w.high - w.low) * kMaxSpreadDivisor <= mid;
}

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

}  // namespace

bool enough_good_windows(ktl::span<const Window> windows) {
    u32 count = 0;
    for (const Window& w : windows) count += good(w) ? 1 : 0;
    return count >= kMinGoodWindows;
}

RateEstimate estimate_rate(ktl::span<const Window> windows, u64 reference_ticks, u64 reference_hz) {
    constexpr usize kMaxWindows = 64;
    u64 mids[kMaxWindows];
    RateEstimate estimate{0, 0, 0, 0};
    if (reference_ticks == 0) return estimate;
    for (const Window& w : windows) {
        if (w.high == 0) {
            ++estimate.failed;
        } else if (!good(w) || estimate.good == kMaxWindows) {
            ++estimate.disturbed;
        } else {
            // Insertion sort: a handful of windows.
            u64 mid = w.low + (w.high - w.low) / 2;
            usize i = estimate.good++;
            while (i > 0 && mids[i - 1] > mid) {
                mids[i] = mids[i - 1];
                --i;
            }
            mids[i] = mid;
        }
    }
    if (estimate.good < kMinGoodWindows) return estimate;
    const usize n = estimate.good;
    const u64 median =
        n % 2 == 1 ? mids[n / 2] : mids[n / 2 - 1] + (mids[n / 2] - mids[n / 2 - 1]) / 2;
    estimate.hz = to_hz(median, reference_ticks, reference_hz);
    return estimate;
}

u64 difference_ppm(u64 a, u64 b) {
    if (a == 0) return ~0ULL;
    const u64 diff = a > b ? a - b : b - a;
    return mul_div(diff, 1'000'000, a);
}

}  // namespace kernel::time
