// Windows (kernel/time/calibration.hpp) from a reference that can be read
// at any moment (the HPET's or the ACPI PM timer's counter), unlike the PIT
// channel 2 stopwatch that has to be waited on edge by edge.
//
// A sample is one reading of the reference, bracketed by the fast counter
// read just before and just after it. Two samples make a window: the
// reference advanced by the difference of its readings (modulo its width,
// so a 24- or 32-bit counter that wrapped once in between still counts),
// while the fast counter advanced by at least the gap between the inner
// brackets and at most the gap between the outer ones. Consecutive windows
// share their samples, so n windows cost n + 1 readings.
#pragma once

#include "kernel/time/calibration.hpp"
#include "lib/ktl/types.hpp"

namespace kernel::time {

struct Sample {
    u64 before;     // fast counter just before the reference was read
    u64 reference;  // the reference's counter
    u64 after;      // fast counter just after
};

// All ones in a counter's `bits` low bits (1 to 64).
[[nodiscard]] constexpr u64 counter_mask(u32 bits) {
    return bits >= 64 ? ~0ULL : (1ULL << bits) - 1;
}

// The window from `first` to `second` of a reference counting modulo
// `mask` + 1. high == 0 (a failed window) when the brackets are out of
// order or the reference did not advance.
[[nodiscard]] Window window_between(const Sample& first, const Sample& second, u64 mask);

}  // namespace kernel::time
