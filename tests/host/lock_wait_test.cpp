// The debug lock's bound on a wait (src/kernel/sync/lock_wait.hpp): time,
// with a clock and without one, never a count of spins.
#include <gtest/gtest.h>

#include <chrono>

#include "kernel/sync/lock_wait.hpp"
#include "no_clock.hpp"

namespace {

using kernel::lock_debug::Wait;

using test::NoClock;

// The spins until too_long() says so (the last one included).
u64 spins_until_too_long(Wait& wait) {
    u64 spins = 1;
    while (!wait.too_long()) ++spins;
    return spins;
}

TEST(LockWait, WithoutAClockTheDefaultBoundIsFiveSecondsOfSteps) {
    const NoClock no_clock;
    Wait wait;
    // The first spins read nothing; then one step per spin until 5 s of
    // them (plus the one for the first reading) have passed.
    EXPECT_EQ(spins_until_too_long(wait),
              Wait::kSpinsBeforeClock + kernel::lock_debug::kLockHeldTooLongUs + 1);
    EXPECT_EQ(wait.clock(), kernel::time::WaitClock::Steps);
    EXPECT_TRUE(wait.too_long());  // stays over
}

TEST(LockWait, ABoundOfItsOwnIsCountedTheSameWay) {
    const NoClock no_clock;
    Wait wait(3'000);
    for (u64 i = 0; i < Wait::kSpinsBeforeClock + 3'000; ++i) ASSERT_FALSE(wait.too_long()) << i;
    EXPECT_TRUE(wait.too_long());
}

TEST(LockWait, WithAClockTheBoundIsTimeNotSpins) {
    const auto start = std::chrono::steady_clock::now();
    Wait wait(50'000);
    const u64 spins = spins_until_too_long(wait);
    const auto took = std::chrono::steady_clock::now() - start;
    EXPECT_GE(took, std::chrono::milliseconds(50));
    // Far below the 5 s default: the bound given, not a fixed count.
    EXPECT_LT(took, std::chrono::seconds(4));
    EXPECT_GT(spins, Wait::kSpinsBeforeClock);
    EXPECT_EQ(wait.clock(), kernel::time::WaitClock::Timestamp);
}

}  // namespace
