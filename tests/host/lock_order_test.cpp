// The debug lock's order check (kernel/sync/lock_order.hpp): each CPU's
// held locks, the recorded orders by lock and by class, and the path
// search. The words of the panic: lock_reports_test.cpp.
#include <gtest/gtest.h>

#include <memory>
#include <vector>

#include "kernel/sync/held_locks.hpp"
#include "kernel/sync/lock_class.hpp"
#include "kernel/sync/lock_order.hpp"

namespace {

using kernel::lock_debug::HeldLocks;
using kernel::lock_debug::Inversion;
using kernel::lock_debug::LockOrder;
using kernel::lock_debug::OrderClass;
using kernel::lock_debug::TableLock;

// Stands in for a Spinlock: only its address, its class and its node
// matter. Aligned as a debug Spinlock is (the held stack's tags).
struct alignas(8) FakeLock {
    FakeLock() = default;
    explicit FakeLock(kernel::LockClass& of) : named(&of) {}
    kernel::LockClass* named = nullptr;  // null: its own class
    mutable u32 node = 0;
};
OrderClass class_of(const void* lock, u32 subclass) {
    const auto* fake = static_cast<const FakeLock*>(lock);
    return {fake->named != nullptr ? fake->named->node(subclass) : &fake->node, fake->named,
            subclass};
}

// Distinct fake sites.
const char kSite[8] = {};
const void* site(int i) { return &kSite[i]; }

std::vector<const void*> held_locks(const HeldLocks& held) {
    std::vector<const void*> out;
    for (u32 i = 0; i < held.depth(); ++i) out.push_back(held.entry(i).lock);
    return out;
}

TEST(HeldLocks, PushAndPopInReverseOrder) {
    HeldLocks held;
    FakeLock a;
    FakeLock b;
    held.push(&a, site(0), false);
    held.push(&b, site(1), true);
    ASSERT_EQ(held.depth(), 2U);
    EXPECT_EQ(held.entry(1).lock, &b);
    EXPECT_EQ(held.entry(1).site, site(1));
    EXPECT_TRUE(held.entry(1).tried);
    EXPECT_FALSE(held.entry(0).tried);
    EXPECT_TRUE(held.pop(&b));
    EXPECT_TRUE(held.pop(&a));
    EXPECT_TRUE(held.empty());
}

TEST(HeldLocks, ReleaseOutOfOrderKeepsTheOthersInOrder) {
    HeldLocks held;
    FakeLock a;
    FakeLock b;
    FakeLock c;
    held.push(&a, site(0), false);
    held.push(&b, site(1), false);
    held.push(&c, site(2), false);
    EXPECT_TRUE(held.pop(&a));  // as smp::call_on_all releases its mailboxes
    EXPECT_EQ(held_locks(held), (std::vector<const void*>{&b, &c}));
    EXPECT_EQ(held.entry(0).site, site(1));
    EXPECT_EQ(held.entry(1).site, site(2));
    EXPECT_TRUE(held.pop(&c));
    EXPECT_TRUE(held.pop(&b));
    EXPECT_TRUE(held.empty());
}

TEST(HeldLocks, TheLastLockPopsInline) {
    HeldLocks held;
    FakeLock a;
    FakeLock b;
    EXPECT_FALSE(held.pop_last(&a));
    held.push(&a, site(0), false);
    held.push(&b, site(1), true);
    EXPECT_FALSE(held.pop_last(&a));  // not the last: pop() finds it
    EXPECT_TRUE(held.pop_last(&b));
    EXPECT_EQ(held_locks(held), (std::vector<const void*>{&a}));
    EXPECT_TRUE(held.pop_last(&a));
    EXPECT_TRUE(held.empty());
}

TEST(HeldLocks, ALockNotHeldIsNotPopped) {
    HeldLocks held;
    FakeLock a;
    FakeLock b;
    held.push(&a, site(0), false);
    EXPECT_FALSE(held.pop(&b));
    EXPECT_EQ(held.depth(), 1U);
}

TEST(HeldLocks, BeyondTheDepthLocksAreHeldUntracked) {
    HeldLocks held;
    std::vector<FakeLock> locks(HeldLocks::kDepth + 3);
    for (FakeLock& lock : locks) held.push(&lock, site(0), true);
    EXPECT_EQ(held.depth(), HeldLocks::kDepth);
    EXPECT_EQ(held.untracked(), 3U);
    // Released first to last: the tracked ones are found, then the rest
    // count the untracked down.
    for (FakeLock& lock : locks) EXPECT_TRUE(held.pop(&lock));
    EXPECT_TRUE(held.empty());
    EXPECT_FALSE(held.pop(&locks[0]));
}

TEST(HeldLocks, ASubclassTravelsWithItsLock) {
    HeldLocks held;
    FakeLock a;
    FakeLock b;
    held.push(&a, site(0), true, 3);
    held.push(&b, site(1), false, 1);
    EXPECT_EQ(held.entry(0).lock, &a);
    EXPECT_EQ(held.entry(0).subclass, 3U);
    EXPECT_TRUE(held.entry(0).tried);
    EXPECT_EQ(held.entry(1).lock, &b);
    EXPECT_EQ(held.entry(1).subclass, 1U);
    EXPECT_FALSE(held.entry(1).tried);
    EXPECT_TRUE(held.pop(&a));  // found by its address, whatever its tags
    EXPECT_TRUE(held.pop_last(&b));
    EXPECT_TRUE(held.empty());
}

struct Fixture : ::testing::Test {
    std::unique_ptr<LockOrder> order = std::make_unique<LockOrder>();
    HeldLocks held;
    Inversion found{};

    // lock() of `lock` at `at` with `held`, then pushed, as Spinlock does
    // (lock_nested with a subclass).
    LockOrder::Check take(FakeLock& lock, const void* at, u32 subclass = 0) {
        LockOrder::Check result = LockOrder::Check::Fine;
        if (!order->known(held, &lock, subclass, class_of))
            result = order->check(0, held, &lock, subclass, at, found, class_of);
        held.push(&lock, at, false, subclass);
        return result;
    }
    // try_lock(): pushed, never checked.
    void try_take(FakeLock& lock, const void* at) { held.push(&lock, at, true); }
    void release(FakeLock& lock) { ASSERT_TRUE(held.pop(&lock)); }
};

using LockOrderTest = Fixture;

TEST_F(LockOrderTest, OneOrderTakenAgainIsFineAndKnown) {
    FakeLock a;
    FakeLock b;
    for (int i = 0; i < 3; ++i) {
        EXPECT_EQ(take(a, site(0)), LockOrder::Check::Fine);
        EXPECT_EQ(take(b, site(1)), LockOrder::Check::Fine);
        release(b);
        release(a);
    }
    EXPECT_EQ(order->stats().edges, 1U);
    EXPECT_EQ(order->stats().searches, 1U);  // the later rounds found the edge without the lock
    held.push(&a, site(0), false);
    EXPECT_TRUE(order->known(held, &b, 0, class_of));
}

TEST_F(LockOrderTest, TheOppositeOrderIsInvertedWithBothSites) {
    FakeLock a;
    FakeLock b;
    take(a, site(0));
    take(b, site(1));
    release(b);
    release(a);
    take(b, site(2));
    ASSERT_EQ(take(a, site(3)), LockOrder::Check::Inverted);
    EXPECT_EQ(found.lock, &a);
    EXPECT_EQ(found.site, site(3));
    EXPECT_EQ(found.held, &b);
    EXPECT_EQ(found.held_site, site(2));
    ASSERT_EQ(found.steps, 1U);
    EXPECT_EQ(found.step[0].from.key, &a);
    EXPECT_FALSE(found.step[0].from.named);
    EXPECT_EQ(found.step[0].from_site, site(0));
    EXPECT_EQ(found.step[0].to.key, &b);
    EXPECT_EQ(found.step[0].to_site, site(1));
}

TEST_F(LockOrderTest, APathThroughOtherLocksIsInvertedToo) {
    FakeLock a;
    FakeLock b;
    FakeLock c;
    take(a, site(0));
    take(b, site(1));
    release(b);
    release(a);
    take(b, site(2));
    take(c, site(3));
    release(c);
    release(b);
    take(c, site(4));
    ASSERT_EQ(take(a, site(5)), LockOrder::Check::Inverted);  // a -> b -> c recorded
    EXPECT_EQ(found.held, &c);
    ASSERT_EQ(found.steps, 2U);
    EXPECT_EQ(found.step[0].from.key, &a);
    EXPECT_EQ(found.step[0].to.key, &b);
    EXPECT_EQ(found.step[1].from.key, &b);
    EXPECT_EQ(found.step[1].from_site, site(2));
    EXPECT_EQ(found.step[1].to.key, &c);
    EXPECT_EQ(found.step[1].to_site, site(3));
}

TEST_F(LockOrderTest, LocksNestedConsistentlyAreNeverInverted) {
    std::vector<FakeLock> locks(20);
    // Any subset, always in index order: a partial order, never a cycle.
    for (u32 mask = 1; mask < 64; ++mask) {
        std::vector<FakeLock*> taken;
        for (u32 i = 0; i < 6; ++i) {
            if ((mask >> i & 1U) == 0) continue;
            ASSERT_EQ(take(locks[i], site(0)), LockOrder::Check::Fine) << mask;
            taken.push_back(&locks[i]);
        }
        for (FakeLock* lock : taken) release(*lock);  // first to last, out of order
    }
    EXPECT_EQ(order->stats().edges, 15U);  // every pair i < j of six
}

TEST_F(LockOrderTest, ALockBuiltWhereAnotherWasStartsWithoutItsOrders) {
    FakeLock a;
    auto b = std::make_unique<FakeLock>();
    take(a, site(0));
    take(*b, site(1));
    release(*b);
    release(a);
    *b = FakeLock{};  // a new lock at the same address: node 0
    take(*b, site(2));
    EXPECT_EQ(take(a, site(3)), LockOrder::Check::Fine);
}

TEST_F(LockOrderTest, AFullTableStopsRecordingWithoutAReport) {
    std::vector<FakeLock> locks(LockOrder::kMaxNodes + 2);
    FakeLock outer;
    take(outer, site(0));
    for (FakeLock& lock : locks) {
        EXPECT_NE(take(lock, site(1)), LockOrder::Check::Inverted);
        release(lock);
    }
    EXPECT_TRUE(order->stats().full);
    EXPECT_EQ(order->stats().nodes, LockOrder::kMaxNodes - 1);
    EXPECT_TRUE(order->known(held, &locks.back(), 0, class_of));
}

// Two kinds of lock, two of each (CPU 0's and CPU 1's, say): one order
// between the kinds, seen with one pair of instances, holds for every pair.
struct ClassOrderTest : Fixture {
    kernel::LockClass cache{"cache"};
    kernel::LockClass device{"device"};
    FakeLock cache0{cache};
    FakeLock cache1{cache};
    FakeLock device0{device};
    FakeLock device1{device};
};

TEST_F(ClassOrderTest, AnInversionBetweenOtherInstancesOfTheTwoClassesIsCaught) {
    take(cache0, site(0));
    take(device0, site(1));
    release(device0);
    release(cache0);
    take(device1, site(2));
    ASSERT_EQ(take(cache1, site(3)), LockOrder::Check::Inverted);
    EXPECT_EQ(found.lock, &cache1);  // the instances met now
    EXPECT_EQ(found.held, &device1);
    EXPECT_EQ(found.held_site, site(2));
    EXPECT_TRUE(found.lock_class.named);
    EXPECT_EQ(found.lock_class.key, &cache);
    EXPECT_EQ(found.held_class.key, &device);
    ASSERT_EQ(found.steps, 1U);  // the order recorded with the other pair
    EXPECT_EQ(found.step[0].from.key, &cache);
    EXPECT_TRUE(found.step[0].from.named);
    EXPECT_EQ(found.step[0].from_site, site(0));
    EXPECT_EQ(found.step[0].to.key, &device);
    EXPECT_EQ(found.step[0].to_site, site(1));
}

TEST_F(ClassOrderTest, EveryInstanceOfAClassIsOneNode) {
    std::vector<std::unique_ptr<FakeLock>> caches;
    for (int i = 0; i < 10; ++i) caches.push_back(std::make_unique<FakeLock>(cache));
    for (auto& one : caches) {
        take(*one, site(0));
        EXPECT_EQ(take(device0, site(1)), LockOrder::Check::Fine);
        release(device0);
        release(*one);
    }
    EXPECT_EQ(order->stats().nodes, 2U);
    EXPECT_EQ(order->stats().edges, 1U);
    EXPECT_EQ(order->stats().searches, 1U);  // the other nine knew the order
}

TEST_F(ClassOrderTest, TwoLocksOfOneClassHeldTogetherAreRefused) {
    take(cache0, site(0));
    ASSERT_EQ(take(cache1, site(1)), LockOrder::Check::SameClass);
    EXPECT_EQ(found.lock, &cache1);
    EXPECT_EQ(found.site, site(1));
    EXPECT_EQ(found.held, &cache0);
    EXPECT_EQ(found.held_site, site(0));
    EXPECT_EQ(found.held_class.key, &cache);
    EXPECT_EQ(found.steps, 0U);
}

TEST_F(ClassOrderTest, ALockTriedCountsAsHeldForItsClass) {
    // A try_lock cannot deadlock, but the lock() after it can: CPU 1 may
    // hold cache1 and try cache0 the same way.
    try_take(cache0, site(0));
    EXPECT_EQ(take(cache1, site(1)), LockOrder::Check::SameClass);
}

TEST_F(ClassOrderTest, TriedLocksOfOneClassAreNeverChecked) {
    // As smp::call_on_all takes every other CPU's mailbox.
    try_take(cache0, site(0));
    try_take(cache1, site(1));
    EXPECT_EQ(take(device0, site(2)), LockOrder::Check::Fine);
    EXPECT_EQ(order->stats().edges, 1U);  // cache -> device, once
}

TEST_F(ClassOrderTest, ASubclassIsAClassOfItsOwn) {
    for (int i = 0; i < 2; ++i) {
        take(cache0, site(0));
        EXPECT_EQ(take(cache1, site(1), 1), LockOrder::Check::Fine);
        release(cache1);
        release(cache0);
    }
    EXPECT_EQ(order->stats().nodes, 2U);
    EXPECT_EQ(order->stats().edges, 1U);
    // The annotated order taken the other way round is an inversion.
    take(cache1, site(2), 1);
    ASSERT_EQ(take(cache0, site(3)), LockOrder::Check::Inverted);
    EXPECT_EQ(found.held_class.subclass, 1U);
    EXPECT_EQ(found.step[0].to.subclass, 1U);
}

TEST_F(ClassOrderTest, ClassesAndLocksOfTheirOwnMix) {
    FakeLock alone;
    take(alone, site(0));
    take(cache0, site(1));
    release(cache0);
    release(alone);
    take(cache1, site(2));
    ASSERT_EQ(take(alone, site(3)), LockOrder::Check::Inverted);
    EXPECT_FALSE(found.lock_class.named);
    EXPECT_EQ(found.lock_class.key, &alone);
    EXPECT_EQ(found.step[0].to.key, &cache);
}

TEST_F(ClassOrderTest, AFullTableStillRefusesAClassNestedInItself) {
    std::vector<FakeLock> locks(LockOrder::kMaxNodes + 2);
    FakeLock outer;
    take(outer, site(0));
    for (FakeLock& lock : locks) {
        take(lock, site(1));
        release(lock);
    }
    release(outer);
    ASSERT_TRUE(order->stats().full);
    take(cache0, site(2));
    EXPECT_EQ(take(cache1, site(3)), LockOrder::Check::SameClass);
}

TEST(TableLock, HeldByThisCpuItIsSkippedNotWaitedFor) {
    // An NMI that interrupted this CPU's own check finds the lock held by
    // its CPU: waiting would never end.
    TableLock table;
    ASSERT_EQ(table.take(0, 1), TableLock::Take::Taken);
    EXPECT_EQ(table.take(0, 1000), TableLock::Take::HeldHere);
    EXPECT_EQ(table.take(1, 3), TableLock::Take::Busy);
    table.release();
    EXPECT_EQ(table.take(1, 1), TableLock::Take::Taken);
}

}  // namespace
