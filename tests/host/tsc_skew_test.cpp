// The TSC skew estimate from exchanged readings (src/kernel/smp/tsc_skew.hpp).
#include <gtest/gtest.h>

#include "kernel/smp/tsc_skew.hpp"

namespace {

using kernel::smp::estimate_skew;
using kernel::smp::TscRound;

TEST(TscSkew, SynchronisedCountersGiveAnIntervalAroundZero) {
    // The other CPU reads in the middle of each round trip.
    const TscRound rounds[] = {{1000, 1100, 1200}, {2000, 2050, 2300}, {3000, 3150, 3200}};
    const auto s = estimate_skew(rounds, 0);
    ASSERT_TRUE(s.measured);
    EXPECT_EQ(s.lowest_offset, -50);  // 3150 - 3200
    EXPECT_EQ(s.highest_offset, 50);  // 2050 - 2000
    EXPECT_EQ(s.skew, 0);
    EXPECT_TRUE(s.synchronised);
}

TEST(TscSkew, ACounterBehindIsABackwardsStep) {
    // The other counter runs 500 behind: its readings fall below `before`.
    const TscRound rounds[] = {{1000, 600, 1200}, {2000, 1550, 2100}};
    const auto s = estimate_skew(rounds, 100);
    EXPECT_EQ(s.highest_offset, -450);  // 1550 - 2000, the tighter of the two
    EXPECT_EQ(s.lowest_offset, -550);   // 1550 - 2100
    EXPECT_EQ(s.skew, -450);            // at least 450 behind
    EXPECT_FALSE(s.synchronised);
    // Within a looser bound it passes.
    EXPECT_TRUE(estimate_skew(rounds, 450).synchronised);
    EXPECT_FALSE(estimate_skew(rounds, 449).synchronised);
}

TEST(TscSkew, ACounterAheadIsFoundFromTheOtherSide) {
    const TscRound rounds[] = {{1000, 1900, 1200}, {2000, 2800, 2100}};
    const auto s = estimate_skew(rounds, 100);
    EXPECT_EQ(s.lowest_offset, 700);  // 2800 - 2100, the tighter of the two
    EXPECT_EQ(s.skew, 700);
    EXPECT_FALSE(s.synchronised);
}

TEST(TscSkew, NoUsableRoundMeasuresNothing) {
    EXPECT_FALSE(estimate_skew({}, 0).measured);
    const TscRound stepped_back[] = {{2000, 1500, 1000}};
    const auto s = estimate_skew(stepped_back, 0);
    EXPECT_FALSE(s.measured);
    EXPECT_FALSE(s.synchronised);
}

TEST(TscSkew, CountersNearWrapAround) {
    // Across 2^64 the differences still come out signed and small.
    const u64 top = ~u64{0} - 30;
    const TscRound rounds[] = {{top, top + 50, top + 90}};
    const auto s = estimate_skew(rounds, 0);
    EXPECT_EQ(s.lowest_offset, -40);
    EXPECT_EQ(s.highest_offset, 50);
    EXPECT_TRUE(s.synchronised);
}

}  // namespace
