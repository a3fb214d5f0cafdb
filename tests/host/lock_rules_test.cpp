// The debug lock's interrupt rule (kernel/sync/irq_usage.hpp) and the words
// of its immediate reports (kernel/sync/lock_reports.hpp).
#include <gtest/gtest.h>

#include <string>
#include <thread>
#include <vector>

#include "kernel/sync/irq_usage.hpp"
#include "kernel/sync/lock_class.hpp"
#include "kernel/sync/lock_reports.hpp"
#include "lib/format/buffer.hpp"
#include "lib/format/sink.hpp"

namespace {

using kernel::lock_debug::Context;
using kernel::lock_debug::IrqUsage;

constexpr Context kHandler{true, false};
constexpr Context kInterruptsOn{false, true};
constexpr Context kInterruptsOff{false, false};

// Distinct fake sites; the usage only compares and stores them.
const char kSiteA = 0;
const char kSiteB = 0;
const char kSiteC = 0;

TEST(IrqUsage, HandlerWaitThenInterruptsOnIsUnsafe) {
    IrqUsage usage;
    EXPECT_FALSE(usage.note(kHandler, true, &kSiteA));
    EXPECT_TRUE(usage.note(kInterruptsOn, true, &kSiteB));
    EXPECT_EQ(usage.handler_site(), &kSiteA);
    EXPECT_EQ(usage.interrupts_on_site(), &kSiteB);
}

TEST(IrqUsage, InterruptsOnThenHandlerWaitIsUnsafe) {
    IrqUsage usage;
    EXPECT_FALSE(usage.note(kInterruptsOn, true, &kSiteB));
    EXPECT_TRUE(usage.note(kHandler, true, &kSiteA));
    EXPECT_EQ(usage.handler_site(), &kSiteA);
    EXPECT_EQ(usage.interrupts_on_site(), &kSiteB);
}

// A successful try-lock with interrupts on counts: the holder can be
// interrupted all the same.
TEST(IrqUsage, TryLockWithInterruptsOnCounts) {
    IrqUsage usage;
    EXPECT_FALSE(usage.note(kHandler, true, &kSiteA));
    EXPECT_TRUE(usage.note(kInterruptsOn, false, &kSiteB));
}

// The kernel's own patterns, which must stay quiet: the lock held with
// interrupts off everywhere else (IrqSaveSpinlockGuard), and a handler that
// only try-locks (the log's try_present_screens) a lock taken with
// interrupts on.
TEST(IrqUsage, InterruptsOffAndHandlerTryLockAreSafe) {
    IrqUsage off;
    for (int i = 0; i < 3; ++i) {
        EXPECT_FALSE(off.note(kHandler, true, &kSiteA));
        EXPECT_FALSE(off.note(kInterruptsOff, true, &kSiteB));
        EXPECT_FALSE(off.note(kInterruptsOff, false, &kSiteC));
    }
    EXPECT_EQ(off.interrupts_on_site(), nullptr);

    IrqUsage try_in_handler;
    for (int i = 0; i < 3; ++i) {
        EXPECT_FALSE(try_in_handler.note(kInterruptsOn, true, &kSiteB));
        EXPECT_FALSE(try_in_handler.note(kHandler, false, &kSiteA));
    }
    EXPECT_EQ(try_in_handler.handler_site(), nullptr);
}

// A handler with interrupts on (none should run so) is still a handler.
TEST(IrqUsage, HandlerWithInterruptsOnIsAHandler) {
    IrqUsage usage;
    EXPECT_FALSE(usage.note({true, true}, true, &kSiteA));
    EXPECT_EQ(usage.handler_site(), &kSiteA);
    EXPECT_EQ(usage.interrupts_on_site(), nullptr);
}

TEST(IrqUsage, KeepsTheFirstSiteOfEachUse) {
    IrqUsage usage;
    (void)usage.note(kInterruptsOn, true, &kSiteB);
    (void)usage.note(kInterruptsOn, true, &kSiteC);
    (void)usage.note(kHandler, true, &kSiteA);
    (void)usage.note(kHandler, true, &kSiteC);
    EXPECT_EQ(usage.interrupts_on_site(), &kSiteB);
    EXPECT_EQ(usage.handler_site(), &kSiteA);
}

// Threads play CPUs recording at once: one site wins each slot, and it is
// one of those recorded.
TEST(IrqUsage, OneSiteWinsARace) {
    constexpr int kThreads = 4;
    static const char sites[kThreads] = {};
    for (int round = 0; round < 50; ++round) {
        IrqUsage usage;
        std::vector<std::thread> threads;
        for (int t = 0; t < kThreads; ++t)
            threads.emplace_back([&usage, t] { (void)usage.note(kInterruptsOn, true, &sites[t]); });
        for (std::thread& thread : threads) thread.join();
        const void* winner = usage.interrupts_on_site();
        EXPECT_TRUE(winner >= &sites[0] && winner < &sites[kThreads]);
        EXPECT_FALSE(usage.unsafe());
    }
}

// A class keeps one record for all its locks: a handler's wait on one and
// a use with interrupts on of another complete the pair.
TEST(IrqUsage, AClassKeepsTheRuleForAllItsLocks) {
    static constinit kernel::LockClass kind{"kind"};
    const char sites[2] = {};
    EXPECT_FALSE(kind.irq_usage().note(kHandler, true, &sites[0]));      // lock 1, in a handler
    EXPECT_TRUE(kind.irq_usage().note(kInterruptsOn, true, &sites[1]));  // lock 2, interrupts on
    EXPECT_EQ(kind.irq_usage().handler_site(), &sites[0]);
    EXPECT_EQ(kind.irq_usage().interrupts_on_site(), &sites[1]);
}

std::string irq_unsafe(const char* lock, const char* handler, const char* interrupts_on) {
    kfmt::Buffer<512> text;
    kfmt::Sink out(text);
    kernel::lock_debug::write_irq_unsafe(out, lock, handler, interrupts_on);
    return {text.view().data(), text.view().size()};
}

TEST(LockReports, IrqUnsafeNamesBothSitesAndTheHoldingFunction) {
    EXPECT_EQ(irq_unsafe("0xffffffff80123450", "f()+0x1c", "g()+0x2a"),
              "lock 0xffffffff80123450 is taken by an interrupt handler at f()+0x1c and with "
              "interrupts on at g()+0x2a: an interrupt arriving while g() holds it deadlocks "
              "this CPU (hold it with IrqSaveSpinlockGuard)");
}

// Without a symbol the site is a bare address, and the sentence still reads.
TEST(LockReports, IrqUnsafeWithoutSymbols) {
    EXPECT_EQ(irq_unsafe("0xffffffff80123450", "0xffffffff80100010", "0xffffffff80100020"),
              "lock 0xffffffff80123450 is taken by an interrupt handler at 0xffffffff80100010 "
              "and with interrupts on at 0xffffffff80100020: an interrupt arriving while the "
              "code at 0xffffffff80100020 holds it deadlocks this CPU (hold it with "
              "IrqSaveSpinlockGuard)");
}

TEST(LockReports, RecursionNamesTheCpuAndBothSites) {
    kfmt::Buffer<512> text;
    kfmt::Sink out(text);
    kernel::lock_debug::write_recursion(out, "0xffffffff80123450", 1, "again()+0x10", "once()+0x8");
    EXPECT_EQ(std::string(text.view().data(), text.view().size()),
              "lock 0xffffffff80123450 taken again by CPU 1 at again()+0x10, which already "
              "holds it from once()+0x8");
}

TEST(LockReports, FunctionOfASite) {
    using kernel::lock_debug::function_of;
    auto str = [](ktl::string_view v) { return std::string(v.data(), v.size()); };
    EXPECT_EQ(str(function_of("f()+0x1c")), "f()");
    EXPECT_EQ(str(function_of("ns::(anonymous namespace)::g(void*) [clone .isra.0]+0x2a")),
              "ns::(anonymous namespace)::g(void*) [clone .isra.0]");
    // The last "+0x" is the offset: an operator+ in the name stays.
    EXPECT_EQ(str(function_of("V::operator+(V)+0x4")), "V::operator+(V)");
    EXPECT_EQ(str(function_of("0xffffffff80100020")), "0xffffffff80100020");
    EXPECT_EQ(str(function_of("")), "");
}

}  // namespace
