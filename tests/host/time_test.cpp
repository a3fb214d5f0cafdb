// The clocks' arithmetic: the monotonic clock's scaling, windows from
// sampled references, CPUID's stated rate, the calendar, the wall clock.
#include <gtest/gtest.h>

#include "kernel/time/calendar.hpp"
#include "kernel/time/clock.hpp"
#include "kernel/time/cpuid_rate.hpp"
#include "kernel/time/sampled_window.hpp"
#include "kernel/time/wall_clock.hpp"

namespace {

using kernel::time::DateTime;

unsigned __int128 exact_ns(u64 ticks, u64 hz) {
    return static_cast<unsigned __int128>(ticks) * 1'000'000'000U / hz;
}

// The scaled value is within 2 ns per second of elapsed time of the
// exact one, for rates from 1 MHz to 10 GHz and spans up to 100 years.
TEST(MonotonicScale, MatchesExactConversion) {
    const u64 rates[] = {1'000'000,        3'579'545,        100'000'000,      1'000'000'000,
                         2'893'456'789ULL, 3'999'999'999ULL, 10'000'000'000ULL};
    for (u64 hz : rates) {
        const kernel::time::Scale s = kernel::time::scale_for(hz);
        EXPECT_LT(s.mult, 1ULL << 32) << hz;
        EXPECT_LE(s.shift, 32U) << hz;
        const u64 seconds[] = {0, 1, 60, 3600, 86'400, 365ULL * 86'400, 100ULL * 365 * 86'400};
        for (u64 secs : seconds) {
            const u64 ticks = secs * hz + hz / 3;
            const auto exact = static_cast<u64>(exact_ns(ticks, hz));
            const u64 got = kernel::time::to_ns(ticks, s);
            const u64 err = got > exact ? got - exact : exact - got;
            EXPECT_LE(err, 2 * (secs + 1)) << "hz " << hz << " seconds " << secs;
        }
    }
}

// Past 2^64 / mult ticks a naive ticks * mult would overflow; the split
// multiplication does not (300 years at 4 GHz).
TEST(MonotonicScale, NoOverflowForCenturies) {
    const u64 hz = 4'000'000'000ULL;
    const kernel::time::Scale s = kernel::time::scale_for(hz);
    const u64 ticks = 300ULL * 365 * 86'400 * hz;
    const auto exact = static_cast<u64>(exact_ns(ticks, hz));
    const u64 got = kernel::time::to_ns(ticks, s);
    EXPECT_NEAR(static_cast<double>(got), static_cast<double>(exact), 1e-8 * exact);
}

u64 g_fake_counter = 0;
u64 fake_counter() { return g_fake_counter; }

TEST(MonotonicClock, CountsFromTheOrigin) {
    EXPECT_EQ(kernel::time::now_ns(), 0U);  // not started: 0, not garbage
    g_fake_counter = 5'000;
    kernel::time::start_clock(fake_counter, 1'000, 2'000'000'000);  // 2 GHz
    EXPECT_TRUE(kernel::time::clock_running());
    EXPECT_EQ(kernel::time::counter_hz(), 2'000'000'000U);
    EXPECT_EQ(kernel::time::now_ns(), 2'000U);
    g_fake_counter = 1'000 + 2'000'000'000ULL * 7;
    EXPECT_EQ(kernel::time::now_ns(), 7'000'000'000U);
    g_fake_counter = 500;  // behind the origin (another CPU's counter)
    EXPECT_EQ(kernel::time::now_ns(), 0U);

    // The wall clock: the date read at 7 s, advanced by the clock.
    g_fake_counter = 1'000 + 2'000'000'000ULL * 7;
    kernel::time::set_wall_clock({2031, 5, 6, 7, 8, 9}, kernel::time::now_ns());
    g_fake_counter += 2'000'000'000ULL * 62;  // 62 s later
    ASSERT_TRUE(kernel::time::wall_clock_now().has_value());
    EXPECT_EQ(*kernel::time::wall_clock_now(), (DateTime{2031, 5, 6, 7, 9, 11}));
}

// Two CPUs' counters a little apart: without the clamp the second reading
// goes back; with it, never below what was already returned.
TEST(MonotonicClock, ClampKeepsItMonotonicAcrossCounters) {
    kernel::time::start_clock(fake_counter, 0, 1'000'000'000);  // 1 GHz: ticks are ns
    g_fake_counter = 10'000;                                    // CPU A
    EXPECT_EQ(kernel::time::now_ns(), 10'000U);
    g_fake_counter = 9'000;  // CPU B, 1 us behind
    EXPECT_EQ(kernel::time::now_ns(), 9'000U);

    kernel::time::keep_monotonic_across_cpus(true);
    g_fake_counter = 10'000;
    EXPECT_EQ(kernel::time::now_ns(), 10'000U);
    g_fake_counter = 9'000;
    EXPECT_EQ(kernel::time::now_ns(), 10'000U);  // held at the last value
    g_fake_counter = 10'500;
    EXPECT_EQ(kernel::time::now_ns(), 10'500U);  // and moving on again
    kernel::time::keep_monotonic_across_cpus(false);
}

TEST(SampledWindow, BoundsFromBrackets) {
    const kernel::time::Sample a{100, 1'000, 110};
    const kernel::time::Sample b{2'100, 1'500, 2'120};
    const kernel::time::Window w = kernel::time::window_between(a, b, ~0ULL);
    EXPECT_EQ(w.low, 1'990U);   // inner brackets
    EXPECT_EQ(w.high, 2'020U);  // outer brackets
    EXPECT_EQ(w.reference_ticks, 500U);
}

TEST(SampledWindow, NarrowCounterWraps) {
    const u64 mask = kernel::time::counter_mask(24);
    const kernel::time::Sample a{0, 0xFFFF00, 10};
    const kernel::time::Sample b{1'000, 0x000100, 1'010};
    EXPECT_EQ(kernel::time::window_between(a, b, mask).reference_ticks, 0x200U);
    EXPECT_EQ(kernel::time::counter_mask(32), 0xFFFF'FFFFULL);
    EXPECT_EQ(kernel::time::counter_mask(64), ~0ULL);
    const kernel::time::Sample c{0, 0xFFFF'FF00ULL, 10};
    const kernel::time::Sample d{1'000, 0x100, 1'010};
    EXPECT_EQ(kernel::time::window_between(c, d, kernel::time::counter_mask(32)).reference_ticks,
              0x200U);
}

TEST(SampledWindow, StoppedReferenceFails) {
    const kernel::time::Sample a{0, 42, 10};
    const kernel::time::Sample b{1'000, 42, 1'010};
    EXPECT_EQ(kernel::time::window_between(a, b, ~0ULL).high, 0U);
}

// HPET-like samples of a 2.5 GHz counter against 100 MHz: the estimate
// from three 1 ms windows is the rate.
TEST(SampledWindow, EstimateFromBackToBackWindows) {
    const u64 hz = 2'500'000'000ULL, ref_hz = 100'000'000;
    kernel::time::Window windows[3];
    kernel::time::Sample previous{0, 0, 0};
    for (u64 i = 0; i < 4; ++i) {
        const u64 ref = i * 100'000 + 3;  // each read a little late
        const u64 t = ref * (hz / ref_hz);
        const kernel::time::Sample s{t - 40, ref, t + 40};
        if (i > 0) windows[i - 1] = kernel::time::window_between(previous, s, ~0ULL);
        previous = s;
    }
    const kernel::time::RateEstimate e = kernel::time::estimate_rate(windows, ref_hz);
    EXPECT_NEAR(static_cast<double>(e.hz), static_cast<double>(hz), hz * 1e-4);
}

TEST(CpuidRate, CrystalRatio) {
    // A 24 MHz crystal and a TSC at 2 * 176 / 2 crystal periods: 4.224 GHz.
    const kernel::time::CpuidRate r = kernel::time::rate_from_cpuid({0x16, 2, 352, 24'000'000, 0});
    EXPECT_EQ(r.hz, 4'224'000'000U);
    EXPECT_EQ(r.from, kernel::time::CpuidRate::From::Crystal);
}

TEST(CpuidRate, BaseFrequencyWhenNoCrystal) {
    // Leaf 15H without the crystal's frequency; leaf 16H says 2900 MHz.
    const kernel::time::CpuidRate r = kernel::time::rate_from_cpuid({0x16, 2, 232, 0, 2900});
    EXPECT_EQ(r.hz, 2'900'000'000U);
    EXPECT_EQ(r.from, kernel::time::CpuidRate::From::BaseFrequency);
}

TEST(CpuidRate, NothingWithoutTheLeaves) {
    // TCG's qemu64: max leaf 0xD; the other words are what CPUID returns
    // for an out-of-range leaf and must be ignored.
    EXPECT_EQ(kernel::time::rate_from_cpuid({0xD, 7, 7, 7, 7}).hz, 0U);
    EXPECT_EQ(kernel::time::rate_from_cpuid({0x15, 0, 0, 0, 1234}).hz, 0U);
}

TEST(Calendar, UnixSecondsRoundTrip) {
    EXPECT_EQ(kernel::time::to_unix_seconds({1970, 1, 1, 0, 0, 0}), 0U);
    EXPECT_EQ(kernel::time::to_unix_seconds({2000, 3, 1, 0, 0, 0}), 951'868'800U);
    EXPECT_EQ(kernel::time::to_unix_seconds({2026, 11, 29, 14, 3, 12}), 1'795'960'992U);
    EXPECT_EQ(kernel::time::to_unix_seconds({2100, 3, 1, 0, 0, 0}), 4'107'542'400U);
    for (u64 s = 0; s < 5'000'000'000ULL; s += 86'400 * 13 + 3'607) {
        const DateTime d = kernel::time::from_unix_seconds(s);
        ASSERT_TRUE(kernel::time::valid(d)) << s;
        ASSERT_EQ(kernel::time::to_unix_seconds(d), s);
    }
}

TEST(Calendar, LeapYears) {
    EXPECT_TRUE(kernel::time::leap_year(2000));
    EXPECT_FALSE(kernel::time::leap_year(2100));
    EXPECT_TRUE(kernel::time::leap_year(2028));
    EXPECT_EQ(kernel::time::days_in_month(2100, 2), 28);
    EXPECT_EQ(kernel::time::days_in_month(2000, 2), 29);
    EXPECT_FALSE(kernel::time::valid({2031, 2, 29, 0, 0, 0}));
    EXPECT_TRUE(kernel::time::valid({2032, 2, 29, 0, 0, 0}));
}

}  // namespace

// ticks_to_us: exact floors, and no overflow where ticks * 10^6 would
// (hours of a 3 GHz counter).
TEST(TicksToUs, FloorsAndDoesNotOverflow) {
    EXPECT_EQ(kernel::time::ticks_to_us(0, 1'000'000'000), 0u);
    EXPECT_EQ(kernel::time::ticks_to_us(999, 1'000'000'000), 0u);
    EXPECT_EQ(kernel::time::ticks_to_us(1'000, 1'000'000'000), 1u);
    EXPECT_EQ(kernel::time::ticks_to_us(14'318'180, 14'318'180), 1'000'000u);
    const u64 ten_hours = u64{3'000'000'000} * 36'000;  // ticks * 10^6 > 2^64
    EXPECT_EQ(kernel::time::ticks_to_us(ten_hours, 3'000'000'000), u64{36'000} * 1'000'000);
    EXPECT_EQ(kernel::time::ticks_to_us(ten_hours + 2'999, 3'000'000'000), u64{36'000} * 1'000'000);
}
