// Measuring a fast counter (the TSC) against a slow reference clock (the
// PIT, later the HPET or ACPI PM timer) robustly: the measurement is a few
// short windows, each bracketed, not one long window taken on trust.
//
// A window is one reference interval of known length, timed with the fast
// counter. Reading a counter is not instantaneous, and a virtual CPU can be
// descheduled between two instructions, so each window records bounds: the
// interval lasted at least `low` and at most `high` counter ticks. A
// disturbed window (a preemption inside a bracket) has bounds far apart, but
// they still hold: the rate is taken from the intersection of all windows'
// bounds once that is tight, or else from the median of the windows that are
// tight on their own. Hardware-independent: host-tested.
#pragma once

#include "lib/ktl/span.hpp"
#include "lib/ktl/types.hpp"

namespace kernel::time {

struct Window {
    u64 low;              // counter ticks the reference interval surely lasted
    u64 high;             // counter ticks it lasted at most (0: the reference failed)
    u64 reference_ticks;  // the interval's length in reference ticks
};

struct RateEstimate {
    u64 hz;         // 0 when no estimate could be made
    u32 good;       // windows tight on their own
    u32 disturbed;  // windows dropped as too uncertain
    u32 failed;     // windows where the reference did not count
};

// A window is good when high - low is within 1/kMaxSpreadDivisor of its
// midpoint (0.5%: a few port reads in a millisecond window).
inline constexpr u64 kMaxSpreadDivisor = 200;

// The counter's rate from windows of a `reference_hz` clock (each may have
// its own length). Needs at least kMinGoodWindows good windows.
inline constexpr u32 kMinGoodWindows = 3;
[[nodiscard]] RateEstimate estimate_rate(ktl::span<const Window> windows, u64 reference_hz);

// Whether a window's bounds are close enough to trust it.
[[nodiscard]] bool good_window(const Window& window);

// Whether `windows` already give an estimate (the caller can stop).
[[nodiscard]] bool enough_good_windows(ktl::span<const Window> windows, u64 reference_hz);

// How far apart two rates are, in parts per million of the first.
[[nodiscard]] u64 difference_ppm(u64 a, u64 b);

// Whether a counter rate (ticks a second) fits what `window` of another
// reference at `reference_hz` allows, each bound widened by
// `tolerance_ppm`: a second reference's check of the first's estimate. A
// failed or empty window allows anything (it knows nothing).
[[nodiscard]] bool rate_fits_window(u64 rate, const Window& window, u64 reference_hz,
                                    u64 tolerance_ppm);

}  // namespace kernel::time
