// kernel::Spinlock and the guards of kernel/sync, with real threads (each
// thread plays a CPU; tests/host/arch_host/arch/arch.hpp gives each its own
// interrupt flag).
#include <gtest/gtest.h>

#include <atomic>
#include <thread>
#include <vector>

#include "arch/arch.hpp"
#include "kernel/sync/guard.hpp"
#include "kernel/sync/spinlock.hpp"

namespace {

using kernel::InterruptSaveGuard;
using kernel::IrqSaveSpinlockGuard;
using kernel::Spinlock;
using kernel::SpinlockGuard;

void wait_for_waiters(const Spinlock& lock, u32 n) {
    while (lock.waiters() != n) std::this_thread::yield();
}

TEST(Spinlock, ExcludesOtherThreads) {
    constexpr int kThreads = 4;
    // A ticket lock hands over in order: with QEMU on both host cores each
    // hand-off may wait for the next thread's time slice (20000 took 60 s
    // in CI). 5000, with a yield inside every 16th hold, still loses most
    // updates without the lock (5162 of 20000 counted, measured).
    constexpr int kIncrements = 5000;
    Spinlock lock;
    volatile u64 counter = 0;  // read, then written: a lost update shows
    std::vector<std::thread> threads;
    for (int t = 0; t < kThreads; ++t) {
        threads.emplace_back([&] {
            for (int i = 0; i < kIncrements; ++i) {
                const SpinlockGuard hold(lock);
                const u64 value = counter;
                if (i % 16 == 0) std::this_thread::yield();  // widen the window
                counter = value + 1;
            }
        });
    }
    for (std::thread& thread : threads) thread.join();
    EXPECT_EQ(counter, u64{kThreads} * kIncrements);
    EXPECT_FALSE(lock.is_locked());
}

TEST(Spinlock, TryLock) {
    Spinlock lock;
    EXPECT_FALSE(lock.is_locked());
    ASSERT_TRUE(lock.try_lock());
    EXPECT_TRUE(lock.is_locked());
    EXPECT_EQ(lock.waiters(), 0u);
    EXPECT_FALSE(lock.try_lock());
    EXPECT_FALSE(lock.try_lock_bounded(100));
    lock.unlock();
    EXPECT_FALSE(lock.is_locked());
    EXPECT_TRUE(lock.try_lock_bounded(1));
    lock.unlock();
}

// Fair: whoever asked first gets the lock first.
TEST(Spinlock, ServesWaitersInTheOrderTheyCame) {
    for (int round = 0; round < 20; ++round) {
        Spinlock lock;
        std::atomic<int> next{0};
        int order[3] = {-1, -1, -1};
        lock.lock();
        std::vector<std::thread> threads;
        for (int t = 0; t < 3; ++t) {
            threads.emplace_back([&, t] {
                const SpinlockGuard hold(lock);
                order[next++] = t;
            });
            wait_for_waiters(lock, static_cast<u32>(t + 1));  // t has its ticket
        }
        lock.unlock();
        for (std::thread& thread : threads) thread.join();
        EXPECT_EQ(order[0], 0);
        EXPECT_EQ(order[1], 1);
        EXPECT_EQ(order[2], 2);
    }
}

// Once a waiter has its ticket, an unlock hands the lock to it: a try_lock
// in between fails even if the waiter has not run yet.
TEST(Spinlock, TryLockDoesNotJumpTheQueue) {
    Spinlock lock;
    std::atomic<bool> release{false};
    lock.lock();
    std::thread waiter([&] {
        const SpinlockGuard hold(lock);
        while (!release) std::this_thread::yield();
    });
    wait_for_waiters(lock, 1);
    lock.unlock();
    EXPECT_FALSE(lock.try_lock());
    release = true;
    waiter.join();
    EXPECT_FALSE(lock.is_locked());
}

TEST(InterruptSaveGuard, RestoresWhatWasThere) {
    ASSERT_TRUE(arch::interrupts_enabled());
    {
        const InterruptSaveGuard off;
        EXPECT_TRUE(off.were_enabled());
        EXPECT_FALSE(arch::interrupts_enabled());
        {
            const InterruptSaveGuard nested;
            EXPECT_FALSE(nested.were_enabled());
            EXPECT_FALSE(arch::interrupts_enabled());
        }
        EXPECT_FALSE(arch::interrupts_enabled());  // the outer scope still wants them off
    }
    EXPECT_TRUE(arch::interrupts_enabled());

    arch::disable_interrupts();
    { const InterruptSaveGuard off; }
    EXPECT_FALSE(arch::interrupts_enabled());  // were off: stay off
    arch::enable_interrupts();
}

TEST(IrqSaveSpinlockGuard, HoldsTheLockWithInterruptsOff) {
    Spinlock lock;
    {
        const IrqSaveSpinlockGuard hold(lock);
        EXPECT_TRUE(lock.is_locked());
        EXPECT_FALSE(arch::interrupts_enabled());
    }
    EXPECT_FALSE(lock.is_locked());
    EXPECT_TRUE(arch::interrupts_enabled());
}

TEST(IrqSaveSpinlockGuard, ExcludesOtherThreads) {
    constexpr int kThreads = 4;
    constexpr int kIncrements = 5000;  // as in Spinlock.ExcludesOtherThreads: CI time
    Spinlock lock;
    volatile u64 counter = 0;
    std::atomic<bool> interrupts_on_inside{false};
    std::vector<std::thread> threads;
    for (int t = 0; t < kThreads; ++t) {
        threads.emplace_back([&] {
            for (int i = 0; i < kIncrements; ++i) {
                const IrqSaveSpinlockGuard hold(lock);
                if (arch::interrupts_enabled()) interrupts_on_inside = true;
                const u64 value = counter;
                if (i % 16 == 0) std::this_thread::yield();
                counter = value + 1;
            }
            EXPECT_TRUE(arch::interrupts_enabled());
        });
    }
    for (std::thread& thread : threads) thread.join();
    EXPECT_EQ(counter, u64{kThreads} * kIncrements);
    EXPECT_FALSE(interrupts_on_inside);
}

}  // namespace
