// The words of the debug lock's panics (KEEL_DEBUG_LOCKS, lock_debug.hpp):
// the caller has symbolized the locks and the sites ("function+0x1c", or a
// bare address), these say what is wrong and what to do about it. Every
// lock panic goes through write_report and lock_debug::report, one path.
// Kept apart from the lock so the host tests check the text
// (tests/host/lock_rules_test.cpp, lock_order_test.cpp).
#pragma once

#include "lib/format/sink.hpp"
#include "lib/ktl/string_view.hpp"
#include "lib/ktl/types.hpp"

namespace kernel::lock_debug {

enum class LockProblem : u8 { IrqUnsafe, Recursion, HeldTooLong, Order, NotHeld, SameClass };

// A lock panic's subject, named. What `site` holds depends on the problem:
//   IrqUnsafe    {handler's wait, the use with interrupts on}
//   Recursion    {the second lock(), the holder's}                 (cpu)
//   HeldTooLong  {the holder's, the waiter's}           (other_cpu, cpu)
//   Order        {lock() of `lock`, the take of `other` (held now),
//                 `lock` before, the next lock after it}     (cpu, through)
//   NotHeld      {the unlock(), the holder's as the lock has it}   (cpu)
//   SameClass    {lock() of `lock`, the take of `other` (held now)} (cpu)
// Order, SameClass and IrqUnsafe name classes (lock_class.hpp): `lock` and
// `other` are the classes' names, and the instances, where a class is not
// the lock itself, follow their first mention in parentheses (IrqUnsafe:
// the lock whose use completed the pair). The other problems name the lock
// as the caller wrote it.
struct NamedReport {
    LockProblem problem = LockProblem::Order;
    ktl::string_view lock;
    ktl::string_view other;  // Order, SameClass: the lock held
    ktl::string_view site[4];
    u32 cpu = 0;
    u32 other_cpu = 0;
    u32 through = 0;  // Order: locks between `lock` and `other` on the recorded chain
    ktl::string_view lock_instance = {};   // empty: `lock` names the instance already
    ktl::string_view other_instance = {};  // the same for `other`
};
void write_report(kfmt::Sink& out, const NamedReport& report);

// The function a symbolized site is in: "f()+0x1c" gives "f()"; a site no
// symbol covered (no "+0x") is returned whole.
[[nodiscard]] ktl::string_view function_of(ktl::string_view site);

// A lock an interrupt handler waits for (at `handler`) that is also taken
// with interrupts on (at `interrupts_on`):
//   lock L is taken by an interrupt handler at H and with interrupts on at
//   G+0x2a: an interrupt arriving while G holds it deadlocks this CPU (hold
//   it with IrqSaveSpinlockGuard)
// With `instance` (the lock is one of class L, the two uses may have met
// different locks of it):
//   locks of class L are taken by an interrupt handler at H and with
//   interrupts on at G+0x2a (now lock 0x...): an interrupt arriving while G
//   holds one deadlocks this CPU (hold them with IrqSaveSpinlockGuard)
void write_irq_unsafe(kfmt::Sink& out, ktl::string_view lock, ktl::string_view handler,
                      ktl::string_view interrupts_on, ktl::string_view instance = {});

// lock() by the CPU that holds the lock already:
//   lock L taken again by CPU n at S, which already holds it from H
void write_recursion(kfmt::Sink& out, ktl::string_view lock, u32 cpu, ktl::string_view site,
                     ktl::string_view holder);

// One step of a recorded order chain, for the lines after an Order panic:
//   lock A at S, then lock B at T
void write_order_step(kfmt::Sink& out, ktl::string_view from, ktl::string_view from_site,
                      ktl::string_view to, ktl::string_view to_site);

}  // namespace kernel::lock_debug
