// Bounded waits (kernel/time/bounded_wait.hpp, docs/time.md "Bounded
// waits"): which counter a wait counts with, how many ticks, and the rule
// that a wait is never shorter than asked.
#include "kernel/time/bounded_wait.hpp"

#include <gtest/gtest.h>

#include "arch/arch.hpp"

namespace {

using kernel::time::choose_wait_counter;
using kernel::time::CounterFacts;
using kernel::time::wait_ticks;
using kernel::time::WaitClock;
using kernel::time::WaitProgress;

constexpr u64 kMaxHz = 20'000'000'000;  // arch/x86_64/tsc.hpp's kMaxHz
constexpr u64 kPmTimerHz = 3'579'545;

TEST(BoundedWait, TheTimeCounterWithItsRateComesFirst) {
    const auto c = choose_wait_counter({2'000'000'000, true, kMaxHz, kPmTimerHz, 24});
    EXPECT_EQ(c.clock, WaitClock::Timestamp);
    EXPECT_EQ(c.hz, 2'000'000'000u);
    EXPECT_EQ(c.mask, ~u64{0});
    // The HPET standing in for a missing TSC has a rate too: the same case.
    EXPECT_EQ(choose_wait_counter({100'000'000, false, kMaxHz, 0, 0}).clock, WaitClock::Timestamp);
}

TEST(BoundedWait, WithoutARateTheReferenceCountsWithItsWrap) {
    const auto pm = choose_wait_counter({0, true, kMaxHz, kPmTimerHz, 24});
    EXPECT_EQ(pm.clock, WaitClock::Reference);
    EXPECT_EQ(pm.hz, kPmTimerHz);
    EXPECT_EQ(pm.mask, 0xFF'FFFFu);
    EXPECT_EQ(choose_wait_counter({0, false, kMaxHz, kPmTimerHz, 32}).mask, 0xFFFF'FFFFu);
    EXPECT_EQ(choose_wait_counter({0, false, kMaxHz, 14'318'180, 64}).mask, ~u64{0});
}

TEST(BoundedWait, ATscWithoutARateIsTakenAtItsFastestPlausibleRate) {
    const auto c = choose_wait_counter({0, true, kMaxHz, 0, 0});
    EXPECT_EQ(c.clock, WaitClock::TimestampAssumed);
    EXPECT_EQ(c.hz, kMaxHz);
}

TEST(BoundedWait, NoCounterAtAllCountsMicrosecondSteps) {
    const auto c = choose_wait_counter({0, false, kMaxHz, 0, 0});
    EXPECT_EQ(c.clock, WaitClock::Steps);
    EXPECT_EQ(c.hz, kernel::time::kStepHz);
    EXPECT_EQ(wait_ticks(100, c.hz), 101u);  // the first step's share too
}

TEST(BoundedWait, TicksRoundUpAndCoverTheFirstReadingsLateness) {
    EXPECT_EQ(wait_ticks(0, 2'000'000'000), 0u);  // over at once
    EXPECT_EQ(wait_ticks(1, 2'000'000'000), 2'001u);
    EXPECT_EQ(wait_ticks(1, kPmTimerHz), 5u);  // 3.58 ticks -> 4, + 1
    EXPECT_EQ(wait_ticks(1'000'000, kPmTimerHz), kPmTimerHz + 1);
    EXPECT_EQ(wait_ticks(2'500'000, 1'000'000'000), 2'500'000'001u);
    // Hours at the fastest rate stay exact; beyond 64 bits they saturate.
    EXPECT_EQ(wait_ticks(3'600'000'000, kMaxHz), 3'600 * kMaxHz + 1);
    EXPECT_EQ(wait_ticks(~u64{0}, kMaxHz), ~u64{0});
    EXPECT_EQ(wait_ticks(999'999, ~u64{0}), ~u64{0});
}

// The rule: for every rate the counter could really have (at most the
// assumed one), the ticks a wait needs cover at least the time asked, even
// when the first reading came a whole tick late.
TEST(BoundedWait, NeverShorterThanAskedAtAnyRealRate) {
    const u64 real_rates[] = {1'000'000,     3'579'545,     14'318'180, 1'000'000'000,
                              2'893'000'000, 5'000'000'000, kMaxHz};
    const u64 waits_us[] = {1, 7, 200, 10'000, 999'999, 5'000'000};
    for (const u64 us : waits_us) {
        const u64 ticks = wait_ticks(us, kMaxHz);
        for (const u64 real : real_rates) {
            // At `real` Hz, ticks - 1 whole ticks (the first one may be
            // partial) last (ticks - 1) / real seconds: at least us.
            const long double seconds = static_cast<long double>(ticks - 1) / real;
            EXPECT_GE(seconds * 1e6L, static_cast<long double>(us)) << us << " us at " << real;
        }
        // And at the rate it was computed for, exactly covered, not more
        // than a tick over.
        const u64 exact = wait_ticks(us, 3'579'545);
        EXPECT_GE(static_cast<long double>(exact - 1) / 3'579'545 * 1e6L,
                  static_cast<long double>(us));
        EXPECT_LT(static_cast<long double>(exact - 2) / 3'579'545 * 1e6L,
                  static_cast<long double>(us));
    }
}

TEST(BoundedWait, ProgressPassesOnlyOnceTheBudgetHasElapsed) {
    WaitProgress p(1000, 10, ~u64{0});
    EXPECT_FALSE(p.passed(1000));
    EXPECT_FALSE(p.passed(1009));
    EXPECT_TRUE(p.passed(1010));
    EXPECT_TRUE(p.passed(1010));  // stays passed
    EXPECT_TRUE(p.done());
    // A budget of 0 is over before any reading.
    WaitProgress zero(5, 0, ~u64{0});
    EXPECT_TRUE(zero.done());
    EXPECT_TRUE(zero.passed(5));
}

TEST(BoundedWait, AWrappingCounterCountsEachIntervalModuloItsWidth) {
    // The 24-bit PM timer wrapping during the wait.
    WaitProgress p(0xFF'FFF0, 0x40, 0xFF'FFFF);
    EXPECT_FALSE(p.passed(0x00'0010));  // 0x20 ticks across the wrap
    EXPECT_EQ(p.elapsed(), 0x20u);
    EXPECT_TRUE(p.passed(0x00'0030));
    // A reading a whole wrap later looks like no time at all: counted
    // short, so the wait gets longer, never shorter.
    WaitProgress q(0x100, 0x40, 0xFF'FFFF);
    EXPECT_FALSE(q.passed(0x100));
    EXPECT_EQ(q.elapsed(), 0u);
}

TEST(BoundedWait, ElapsedNeverOverflowsPastTheBudget) {
    WaitProgress p(0, ~u64{0} - 1, ~u64{0});
    EXPECT_FALSE(p.passed(~u64{0} - 2));
    EXPECT_TRUE(p.passed(0x10));  // wraps the 64-bit counter: saturates at the budget
    EXPECT_EQ(p.elapsed(), ~u64{0} - 1);
}

TEST(BoundedWait, TheHostTimeoutWaitsAtLeastWhatItWasGiven) {
    const u64 start = arch::microseconds_since_boot();
    arch::Timeout t(2'000);
    while (!t.expired()) {
    }
    EXPECT_GE(arch::microseconds_since_boot() - start, 2'000u);
}

}  // namespace
