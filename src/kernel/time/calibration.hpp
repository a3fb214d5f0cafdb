// Measuring a fast counter (the TSC) against a slow reference clock (the
// PIT, later the HPET or ACPI PM timer) robustly: the measurement is a few
// short windows, each bracketed, not one long window taken on trust.
//
// A window is one reference interval of known length, timed with the fast
// counter. Reading a counter is not instantaneous, and a virtual CPU can be
// descheduled between two instructions, so each window records bounds: the
// interval lasted at least `low` and at most `high` counter ticks. A window
// whose bounds are far apart was disturbed and is dropped; the rate is the
// median of the good windows' midpoints. Hardware-independent: host-tested.
#pragma once

#include "lib/ktl/span.hpp"
#include "lib/ktl/types.hpp"

namespace kernel::time {

struct Window {
    u64 low;   // counter ticks the reference interval surely lasted
    u64 high;  // counter ticks it lasted at most (0: the reference failed)
};

struct RateEstimate {
    u64 hz;         // 0 when no estimate could be made
    u32 good;       // windows used
    u32 disturbed;  // windows dropped as too uncertain
    u32 failed;     // windows where the reference did not count
};

// A window is good when high - low is within 1/kMaxSpreadDivisor of its
// midpoint (0.5%: a few port reads in a millisecond window).
inline constexpr u64 kMaxSpreadDivisor = 200;

// The counter's rate from windows that each lasted `reference_ticks` of a
// `reference_hz` clock. Needs at least kMinGoodWindows good windows.
inline constexpr u32 kMinGoodWindows = 3;
[[nodiscard]] RateEstimate estimate_rate(ktl::span<const Window> windows, u64 reference_ticks,
                                         u64 reference_hz);

// Whether `windows` already hold enough good ones (the caller can stop).
[[nodiscard]] bool enough_good_windows(ktl::span<const Window> windows);

// How far apart two rates are, in parts per million of the first.
[[nodiscard]] u64 difference_ppm(u64 a, u64 b);

}  // namespace kernel::time
