// What bench=irq reports about its timings: min and median of a set of
// samples, a duration's error against the one asked for, a ratio.
#include <gtest/gtest.h>

#include "kernel/bench/samples.hpp"

namespace {

using kernel::bench::error_of;
using kernel::bench::ratio_hundredths;
using kernel::bench::spread;

TEST(BenchSamples, SpreadOfOddCountIsMinAndMiddle) {
    u64 samples[] = {900, 120, 300, 150, 5000};
    const kernel::bench::Spread s = spread(samples);
    EXPECT_EQ(s.min, 120U);
    EXPECT_EQ(s.median, 300U);
    // Sorted in place, for a caller that wants the order.
    const u64 sorted[] = {120, 150, 300, 900, 5000};
    for (usize i = 0; i < 5; ++i) EXPECT_EQ(samples[i], sorted[i]);
}

TEST(BenchSamples, SpreadOfEvenCountTakesTheLowerMiddle) {
    u64 samples[] = {40, 10, 30, 20};
    const kernel::bench::Spread s = spread(samples);
    EXPECT_EQ(s.min, 10U);
    EXPECT_EQ(s.median, 20U);
}

TEST(BenchSamples, SpreadOfOneAndOfNone) {
    u64 one[] = {77};
    EXPECT_EQ(spread(one).min, 77U);
    EXPECT_EQ(spread(one).median, 77U);
    const kernel::bench::Spread none = spread({});
    EXPECT_EQ(none.min, 0U);
    EXPECT_EQ(none.median, 0U);
}

TEST(BenchSamples, SpreadWithRepeatedValues) {
    u64 samples[] = {5, 5, 1, 5, 1, 9, 5};
    const kernel::bench::Spread s = spread(samples);
    EXPECT_EQ(s.min, 1U);
    EXPECT_EQ(s.median, 5U);
}

TEST(BenchSamples, ErrorIsSignedInMicrosecondsAndTenthsOfAPercent) {
    const kernel::bench::Error late = error_of(1'050, 1'000);
    EXPECT_EQ(late.difference, 50);
    EXPECT_EQ(late.permille, 50);  // +5.0 %
    const kernel::bench::Error early = error_of(99'000, 100'000);
    EXPECT_EQ(early.difference, -1'000);
    EXPECT_EQ(early.permille, -10);  // -1.0 %
    const kernel::bench::Error small = error_of(100'049, 100'000);
    EXPECT_EQ(small.permille, 0);  // 0.049 %: below a tenth
    EXPECT_EQ(error_of(5, 0).permille, 0);
    EXPECT_EQ(error_of(5, 0).difference, 5);
}

TEST(BenchSamples, RatioInHundredthsRounds) {
    EXPECT_EQ(ratio_hundredths(370, 200), 185U);
    EXPECT_EQ(ratio_hundredths(1, 3), 33U);
    EXPECT_EQ(ratio_hundredths(2, 3), 67U);
    EXPECT_EQ(ratio_hundredths(100, 100), 100U);
    EXPECT_EQ(ratio_hundredths(5, 0), 0U);
}

}  // namespace
