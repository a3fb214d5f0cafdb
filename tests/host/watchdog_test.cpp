// The hard-lockup watchdog's decisions (src/kernel/watchdog/heartbeat.hpp):
// who watches whom, when a quiet heartbeat makes a CPU stuck, and what
// keeps a CPU from counting as stuck.
#include "kernel/watchdog/heartbeat.hpp"

#include <gtest/gtest.h>

#include <set>

namespace {

using kernel::watchdog::kNoCpu;
using kernel::watchdog::QuietCounter;
using kernel::watchdog::Verdict;
using kernel::watchdog::Watch;
using kernel::watchdog::watched_by;

TEST(WatchdogRing, EveryCpuIsWatchedByExactlyOneOther) {
    for (u32 online = 2; online <= 256; ++online) {
        std::multiset<u32> watched;
        for (u32 self = 0; self < online; ++self) {
            const u32 target = watched_by(self, online);
            ASSERT_LT(target, online);
            EXPECT_NE(target, self);
            watched.insert(target);
        }
        for (u32 cpu = 0; cpu < online; ++cpu) EXPECT_EQ(watched.count(cpu), 1U) << online;
    }
}

TEST(WatchdogRing, OneCpuOrAnOfflineWatcherWatchesNobody) {
    EXPECT_EQ(watched_by(0, 1), kNoCpu);
    EXPECT_EQ(watched_by(0, 0), kNoCpu);
    EXPECT_EQ(watched_by(2, 2), kNoCpu);
    EXPECT_EQ(watched_by(1, 2), 0U);
    EXPECT_EQ(watched_by(3, 4), 0U);
}

TEST(WatchdogQuiet, StuckOnlyAfterTheLimitOfQuietObservations) {
    QuietCounter q;
    EXPECT_FALSE(q.observe(7, true, 3));  // the first sight only primes it
    EXPECT_FALSE(q.observe(7, true, 3));
    EXPECT_FALSE(q.observe(7, true, 3));
    EXPECT_TRUE(q.observe(7, true, 3));
    EXPECT_TRUE(q.observe(7, true, 3));  // stays stuck
    EXPECT_EQ(q.quiet(), 3U);
}

TEST(WatchdogQuiet, AHeartbeatThatMovesStartsTheCountAgain) {
    QuietCounter q;
    u64 beat = 100;
    // A beat every 7th look (a CPU whose ticks come late) is alive.
    for (int i = 0; i < 1000; ++i) EXPECT_FALSE(q.observe(beat += (i % 7 == 0), true, 10));
    EXPECT_FALSE(q.observe(++beat, true, 10));
    for (int i = 0; i < 9; ++i) EXPECT_FALSE(q.observe(beat, true, 10));
    EXPECT_FALSE(q.observe(beat + 1, true, 10));  // one beat just before the limit
    for (int i = 0; i < 9; ++i) EXPECT_FALSE(q.observe(beat + 1, true, 10));
    EXPECT_TRUE(q.observe(beat + 1, true, 10));
}

// A CPU whose tick is masked on purpose (the timer_masked_tick_stops ktest),
// not running, or offline does not beat: it is never stuck, and its quiet
// time does not carry over once it beats again.
TEST(WatchdogQuiet, IneligibleCpusAreNeverStuck) {
    QuietCounter q;
    for (int i = 0; i < 100; ++i) EXPECT_FALSE(q.observe(5, false, 3));
    EXPECT_FALSE(q.observe(5, true, 3));
    EXPECT_FALSE(q.observe(5, true, 3));
    EXPECT_FALSE(q.observe(5, false, 3));  // masked again just before the limit
    EXPECT_FALSE(q.observe(5, true, 3));
    EXPECT_FALSE(q.observe(5, true, 3));
    EXPECT_FALSE(q.observe(5, true, 3));
    EXPECT_TRUE(q.observe(5, true, 3));
}

TEST(WatchdogWatch, AsksOnceThenPanicsWhenUnanswered) {
    Watch w;
    const Watch::Seen quiet{42, true, 0};
    int asks = 0;
    int looks = 0;
    Verdict v = Verdict::Alive;
    for (; looks < 100 && v != Verdict::Unanswered; ++looks) {
        v = w.check(1, quiet, 5);
        if (v == Verdict::AskToReport) ++asks;
    }
    EXPECT_EQ(v, Verdict::Unanswered);
    EXPECT_EQ(asks, 1);
    // 1 to prime, 5 quiet to ask, 5 more waiting for the answer.
    EXPECT_EQ(looks, 11);
    // The report's "silent for": every look after the one that primed.
    EXPECT_EQ(w.silent(), 10U);
}

TEST(WatchdogWatch, SilenceCountsFromTheLastBeatSeen) {
    Watch w;
    Watch::Seen seen{42, true, 0};
    for (int i = 0; i < 3; ++i) (void)w.check(1, seen, 5);
    EXPECT_EQ(w.silent(), 2U);
    seen.heartbeat = 43;  // a beat: silent since this look
    EXPECT_EQ(w.check(1, seen, 5), Verdict::Alive);
    EXPECT_EQ(w.silent(), 0U);
    for (int i = 0; i < 5; ++i) (void)w.check(1, seen, 5);
    EXPECT_EQ(w.silent(), 5U);
    EXPECT_EQ(w.check(1, seen, 5), Verdict::Alive);  // waiting for the answer
    EXPECT_EQ(w.silent(), 6U);
}

TEST(WatchdogWatch, AnAnswerStartsTheWatchAgain) {
    Watch w;
    Watch::Seen seen{42, true, 0};
    for (int i = 0; i < 5; ++i) EXPECT_EQ(w.check(1, seen, 5), Verdict::Alive);
    EXPECT_EQ(w.check(1, seen, 5), Verdict::AskToReport);
    EXPECT_EQ(w.waited(), 0U);
    EXPECT_EQ(w.check(1, seen, 5), Verdict::Alive);
    EXPECT_EQ(w.waited(), 1U);
    seen.answers = 1;  // "my interrupts were on": a late tick, not a lockup
    for (int i = 0; i < 5; ++i) EXPECT_EQ(w.check(1, seen, 5), Verdict::Alive) << i;
    EXPECT_EQ(w.check(1, seen, 5), Verdict::AskToReport);
}

TEST(WatchdogWatch, ABeatAfterTheRequestCancelsIt) {
    Watch w;
    Watch::Seen seen{42, true, 0};
    for (int i = 0; i < 5; ++i) (void)w.check(1, seen, 5);
    EXPECT_EQ(w.check(1, seen, 5), Verdict::AskToReport);
    seen.heartbeat = 43;
    for (int i = 0; i < 5; ++i) EXPECT_EQ(w.check(1, seen, 5), Verdict::Alive);
    EXPECT_EQ(w.check(1, seen, 5), Verdict::AskToReport);
}

TEST(WatchdogWatch, ANewTargetStartsFromScratch) {
    Watch w;
    const Watch::Seen seen{42, true, 0};
    for (int i = 0; i < 5; ++i) (void)w.check(1, seen, 5);
    // A third CPU came online: CPU 1 now watches CPU 2, whose count is new.
    for (int i = 0; i < 5; ++i) EXPECT_EQ(w.check(2, seen, 5), Verdict::Alive);
    EXPECT_EQ(w.check(2, seen, 5), Verdict::AskToReport);
}

TEST(WatchdogWatch, AMaskedTargetIsNeverAsked) {
    Watch w;
    for (int i = 0; i < 1000; ++i) EXPECT_EQ(w.check(1, {42, false, 0}, 5), Verdict::Alive);
}

}  // namespace
