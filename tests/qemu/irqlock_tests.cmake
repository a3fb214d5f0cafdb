# The debug lock's immediate reports (KEEL_DEBUG_LOCKS, on by default;
# docs/interrupts.md, "Locking"): each crash ends in one PANIC line naming
# the lock and both sites, at once (no 5 s wait for a held-too-long report),
# a backtrace through the function that broke the rule, and a halt.
# Included by tests/CMakeLists.txt after crash_tests.cmake, which defines
# keel_crash_test().

set(irqlock_fn "${KEEL_CRASH_SCOPE}")
set(irqlock_clones "${KEEL_CLONES}")
set(irqlock_site "${irqlock_clones}\\+0x[0-9a-f]+")

# A lock taken with interrupts on and released, then waited for by an
# interrupt handler while it is free: no deadlock happens, yet the report
# names both uses and the function that must hold it with interrupts off.
set(irqlock_taker "${irqlock_fn}take_with_interrupts_on\\(\\)")
keel_crash_test(irq-unsafe-lock FUNCTION wait_in_handler
    EXPECT "^PANIC: lock 0x[0-9a-f]{16} is taken by an interrupt handler at ${irqlock_fn}wait_in_handler\\(void\\*\\)${irqlock_site} and with interrupts on at ${irqlock_taker}${irqlock_site}: an interrupt arriving while ${irqlock_taker}${irqlock_clones} holds it deadlocks this CPU \\(hold it with IrqSaveSpinlockGuard\\)$")

# The rule per class: one lock of a class taken with interrupts on, the
# other waited for by a handler. Reported with the class, both sites and
# the lock whose use completed the pair.
set(irqlock_kind_taker "${irqlock_fn}take_kind_with_interrupts_on\\(\\)")
keel_crash_test(irq-unsafe-class FUNCTION wait_for_kind_in_handler
    EXPECT "^PANIC: locks of class crash irq kind are taken by an interrupt handler at ${irqlock_fn}wait_for_kind_in_handler\\(void\\*\\)${irqlock_site} and with interrupts on at ${irqlock_kind_taker}${irqlock_site} \\(now lock 0x[0-9a-f]{16}\\): an interrupt arriving while ${irqlock_kind_taker}${irqlock_clones} holds one deadlocks this CPU \\(hold them with IrqSaveSpinlockGuard\\)$")
unset(irqlock_kind_taker)

# One CPU takes a lock it holds: reported at once with both sites, not
# after a 5 s spin as held too long (by itself).
keel_crash_test(lock-recursion FUNCTION take_again
    EXPECT "^PANIC: lock 0x[0-9a-f]{16} taken again by CPU 0 at ${irqlock_fn}take_again\\(\\)${irqlock_site}, which already holds it from ${irqlock_fn}take_once\\(\\)${irqlock_site}$")

# Two locks taken in both orders on one CPU (kernel/sync/lock_order.hpp):
# no deadlock, nothing else holds them, yet the second order is reported as
# it begins, with both locks and the four sites.
set(irqlock_lock "0x[0-9a-f]{16}")
keel_crash_test(lock-order FUNCTION take_in_reverse
    EXPECT "^PANIC: lock order inverted: CPU 0 takes lock (${irqlock_lock}) at ${irqlock_fn}take_in_reverse\\(\\)${irqlock_site} while holding lock (${irqlock_lock}) from ${irqlock_fn}take_in_reverse\\(\\)${irqlock_site}, but took \\2 while holding \\1 before: lock \\1 at ${irqlock_fn}take_in_order\\(\\)${irqlock_site}, then lock \\2 at ${irqlock_fn}take_in_order\\(\\)${irqlock_site}$")

unset(irqlock_lock)
unset(irqlock_fn)
unset(irqlock_clones)
unset(irqlock_site)
unset(irqlock_taker)
