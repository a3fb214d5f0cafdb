// The words of every debug-lock panic (kernel/sync/lock_reports.hpp): one
// writer for inversions, chains, same-class nesting, recursion, a lock held
// too long, a release by a non-holder and an interrupt-unsafe lock.
#include <gtest/gtest.h>

#include <string>

#include "kernel/sync/lock_reports.hpp"
#include "lib/format/buffer.hpp"
#include "lib/format/sink.hpp"

namespace {

using kernel::lock_debug::LockProblem;
using kernel::lock_debug::NamedReport;

std::string words(const NamedReport& report) {
    kfmt::Buffer<600> text;
    kfmt::Sink out(text);
    kernel::lock_debug::write_report(out, report);
    return std::string(text.view().data(), text.view().size());
}

TEST(LockReports, AnInversionNamesBothLocksAndFourSites) {
    EXPECT_EQ(
        words(
            {LockProblem::Order, "A", "B", {"g()+0x4", "g()+0x2", "f()+0x2", "f()+0x4"}, 0, 0, 0}),
        "lock order inverted: CPU 0 takes lock A at g()+0x4 while holding lock B from "
        "g()+0x2, but took B while holding A before: lock A at f()+0x2, then lock B at "
        "f()+0x4");
}

TEST(LockReports, AnInversionBetweenClassesNamesTheInstancesOnce) {
    NamedReport report{LockProblem::Order,
                       "cache",
                       "device",
                       {"g()+0x4", "g()+0x2", "f()+0x2", "f()+0x4"},
                       0,
                       0,
                       0};
    report.lock_instance = "0x10";
    report.other_instance = "0x20";
    EXPECT_EQ(words(report),
              "lock order inverted: CPU 0 takes lock cache (0x10) at g()+0x4 while holding lock "
              "device (0x20) from g()+0x2, but took device while holding cache before: lock cache "
              "at f()+0x2, then lock device at f()+0x4");
}

TEST(LockReports, AClassNestedInItselfSaysHowToAnnotate) {
    NamedReport report{LockProblem::SameClass, "cache", "cache", {"g()+0x4", "f()+0x2"}, 1, 0, 0};
    report.lock_instance = "0x10";
    report.other_instance = "0x20";
    EXPECT_EQ(words(report),
              "lock class cache nested: CPU 1 takes lock cache (0x10) at g()+0x4 while holding "
              "lock cache (0x20) from f()+0x2: no order is known between two locks of one class "
              "(if the code fixes one, take the inner lock with lock_nested)");
}

TEST(LockReports, AChainSaysHowManyLocksAreBetween) {
    EXPECT_EQ(words({LockProblem::Order, "A", "C", {"g()+0x4", "g()+0x2", "f()+0x2", {}}, 1, 0, 2}),
              "lock order inverted: CPU 1 takes lock A at g()+0x4 while holding lock C from "
              "g()+0x2, but took C after A before, through 2 other locks (below)");
}

TEST(LockReports, EveryProblemGoesThroughOneWriter) {
    EXPECT_EQ(words({LockProblem::Recursion, "L", {}, {"S", "H"}, 2, 0, 0}),
              "lock L taken again by CPU 2 at S, which already holds it from H");
    EXPECT_EQ(words({LockProblem::HeldTooLong, "L", {}, {"f()+0x1c", "g()+0x2a"}, 0, 1, 0}),
              "lock L held too long by CPU 1 at f()+0x1c; CPU 0 waiting at g()+0x2a");
    EXPECT_EQ(words({LockProblem::NotHeld, "L", {}, {"u()+0x3", "t()+0x5"}, 3, 0, 0}),
              "lock L released by CPU 3 at u()+0x3, which does not hold it (its holder took it at "
              "t()+0x5)");
    EXPECT_EQ(words({LockProblem::IrqUnsafe, "L", {}, {"h()+0x1", "G+0x2a"}, 0, 0, 0}),
              "lock L is taken by an interrupt handler at h()+0x1 and with interrupts on at "
              "G+0x2a: an interrupt arriving while G holds it deadlocks this CPU (hold it with "
              "IrqSaveSpinlockGuard)");
}

// The interrupt rule of a class: the two uses may have met two of its
// locks; the report names the class and the lock whose use made the pair.
TEST(LockReports, IrqUnsafeOfAClassNamesTheClassAndTheLock) {
    NamedReport report{LockProblem::IrqUnsafe, "I/O APIC", {}, {"h()+0x1", "g()+0x2a"}, 0, 0, 0,
                       "0xffff800000123000"};
    EXPECT_EQ(words(report),
              "locks of class I/O APIC are taken by an interrupt handler at h()+0x1 and with "
              "interrupts on at g()+0x2a (now lock 0xffff800000123000): an interrupt arriving "
              "while g() holds one deadlocks this CPU (hold them with IrqSaveSpinlockGuard)");
}

}  // namespace
