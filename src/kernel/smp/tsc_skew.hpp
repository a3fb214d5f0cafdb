// How far apart two CPUs' timestamp counters are, from readings exchanged
// through shared memory (docs/smp.md, "The TSC across CPUs"). Hardware-
// independent: host-tested (tests/host/tsc_skew_test.cpp).
//
// One round: the reference CPU reads its counter (`before`) and publishes
// it; the other CPU, having seen it, reads its own (`other`) and publishes
// that; the reference, having seen it, reads again (`after`). The other
// CPU's reading happened between the two, so with the other counter equal
// to the reference's plus an offset d:
//
//     before < other - d < after,   i.e.   other - after < d < other - before
//
// Each round narrows the interval of possible offsets. An interval that
// excludes 0 is a backwards step someone observed: `other` below `before`
// (the other counter behind) or above `after` (ahead).
#pragma once

#include "lib/ktl/span.hpp"
#include "lib/ktl/types.hpp"

namespace kernel::smp {

struct TscRound {
    u64 before;  // the reference CPU, before the other read
    u64 other;   // the other CPU, in between
    u64 after;   // the reference CPU, after
};

struct TscSkew {
    bool measured;       // at least one usable round (before <= after)
    i64 lowest_offset;   // the offset (other minus reference) is above this
    i64 highest_offset;  // and below this
    // The offset surely there: 0 when the interval contains 0, else its
    // bound nearest 0 (positive: the other counter is ahead).
    i64 skew;
    bool synchronised;  // |skew| <= the bound given
};

// Offsets are differences of readings: within i64 for any two counters that
// started within 146 years of each other at 1 GHz.
[[nodiscard]] constexpr i64 difference(u64 a, u64 b) { return static_cast<i64>(a - b); }

[[nodiscard]] constexpr TscSkew estimate_skew(ktl::span<const TscRound> rounds, u64 bound) {
    TscSkew s{false, 0, 0, 0, false};
    for (const TscRound& r : rounds) {
        // The reference's own counter stepped back: unusable.
        if (difference(r.after, r.before) < 0) continue;
        const i64 low = difference(r.other, r.after);
        const i64 high = difference(r.other, r.before);
        if (!s.measured || low > s.lowest_offset) s.lowest_offset = low;
        if (!s.measured || high < s.highest_offset) s.highest_offset = high;
        s.measured = true;
    }
    if (!s.measured) return s;
    if (s.lowest_offset > 0)
        s.skew = s.lowest_offset;
    else if (s.highest_offset < 0)
        s.skew = s.highest_offset;
    const u64 magnitude = s.skew < 0 ? static_cast<u64>(-s.skew) : static_cast<u64>(s.skew);
    s.synchronised = magnitude <= bound;
    return s;
}

}  // namespace kernel::smp
