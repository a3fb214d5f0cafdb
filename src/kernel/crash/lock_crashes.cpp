// The debug lock's crash tests (KEEL_DEBUG_LOCKS, src/kernel/sync): a lock
// held too long, the interrupt rule broken, a lock taken twice, two locks in
// both orders, two classes of lock in both orders, two locks of one class
// nested. Each ends in the debug lock's PANIC naming the sites, which
// are functions of their own in the anonymous namespace, as in crash.cpp
// (tests/qemu/irqlock_tests.cmake, smp_shell_faults_tests.cmake and
// lockclass_tests.cmake match their names). Built with -fno-sanitize=all, like crash.cpp.
#include "arch/arch.hpp"
#include "kernel/crash/crash_cases.hpp"
#include "kernel/log/log.hpp"
#include "kernel/smp/call.hpp"
#include "kernel/sync/guard.hpp"
#include "kernel/sync/spinlock.hpp"
#include "lib/ktl/new.hpp"

namespace kernel::crash {

namespace {

#if KEEL_DEBUG_LOCKS
constexpr bool kDebugLocks = true;
#else
constexpr bool kDebugLocks = false;
#endif

// Whether this kernel has the debug lock; if not, says that `name` needs it.
bool debug_locks(const char* name) {
    if (kDebugLocks) return true;
    log::error("crash: '{}' needs a kernel built with KEEL_DEBUG_LOCKS", name);
    return false;
}

// CPU 1 takes a lock and keeps it; the boot CPU then waits for it. The debug
// lock (KEEL_DEBUG_LOCKS) reports that wait with both sites instead of
// hanging; each site is a function of its own, so the report names it.
Spinlock g_kept_lock;
[[gnu::noinline]] void take_and_keep(void* /*unused*/) {
    g_kept_lock.lock();
    // Not a tail call: the lock's recorded site is then in this function.
    asm volatile("" ::: "memory");
}
[[gnu::noinline]] void wait_for_kept_lock() {
    g_kept_lock.lock();
    g_kept_lock.unlock();
}
// Both lock-held crashes: CPU 1 runs `keep` (takes the lock and returns
// holding it), then this CPU runs `wait` for the same lock.
void hold_on_cpu1_then_wait(const char* name, void (*keep)(void*), void (*wait)()) {
    if (!debug_locks(name) || !second_cpu(name)) return;
    smp::call_on(1, keep, nullptr);
    wait();
}

// The same through the guards, as most of the kernel takes its locks: the
// report must name the functions that declared the guards, never the
// guards' constructors (kernel/sync/guard.hpp; a Debug build, where
// nothing else is inlined, proves it). CPU 1's guard outlives the call
// that made it (allocated and never freed), so the lock stays held.
[[gnu::noinline]] void keep_through_guard(void* /*unused*/) {
    auto* kept = new SpinlockGuard(g_kept_lock);
    asm volatile("" : : "r"(kept) : "memory");
}
[[gnu::noinline]] void wait_through_guard() { const IrqSaveSpinlockGuard guard(g_kept_lock); }

// The interrupt rule (kernel/sync/irq_usage.hpp), broken without a
// deadlock: this CPU takes the lock with interrupts on and lets it go, then
// an interrupt handler waits for it while it is free. The debug lock reports
// the two uses together, naming both functions, the moment the handler
// waits. Then a CPU that takes a lock it holds: reported at once, with both
// sites, instead of after a 5 s spin as held too long.
Spinlock g_irq_unsafe_lock;
[[gnu::noinline]] void take_with_interrupts_on() {
    g_irq_unsafe_lock.lock();
    asm volatile("" ::: "memory");
    g_irq_unsafe_lock.unlock();
}
[[gnu::noinline]] void wait_in_handler(void* /*context*/) {
    g_irq_unsafe_lock.lock();
    g_irq_unsafe_lock.unlock();
}

// The same rule for a kind of lock: one lock of the kind taken with
// interrupts on, another waited for by a handler. No lock saw both uses,
// so a rule kept per lock sees nothing; kept per class (lock_class.hpp),
// it is the danger it is: each CPU's lock of a kind runs the same code.
constinit LockClass g_irq_kind{"crash irq kind"};
Spinlock g_irq_kind_of_cpu0{g_irq_kind};
Spinlock g_irq_kind_of_cpu1{g_irq_kind};
[[gnu::noinline]] void take_kind_with_interrupts_on() {
    g_irq_kind_of_cpu0.lock();
    asm volatile("" ::: "memory");
    g_irq_kind_of_cpu0.unlock();
}
[[gnu::noinline]] void wait_for_kind_in_handler(void* /*context*/) {
    g_irq_kind_of_cpu1.lock();
    g_irq_kind_of_cpu1.unlock();
}

// The interrupt rule broken: `take` with interrupts on, then `wait` in the
// handler of a line of its own.
void break_irq_rule(const char* name, void (*take)(), irq::Handler wait) {
    if (!debug_locks(name)) return;
    if (!arch::interrupts_enabled()) {
        log::error("crash: '{}' needs interrupts on, and they are off here", name);
        return;
    }
    take();
    raise_own_line(wait);
}

Spinlock g_recursive_lock;
[[gnu::noinline]] void take_once() {
    g_recursive_lock.lock();
    // Not a tail call: the lock's recorded site is then in this function.
    asm volatile("" ::: "memory");
}
[[gnu::noinline]] void take_again() {
    g_recursive_lock.lock();
    g_recursive_lock.unlock();
}

// Two locks taken in both orders, one after the other on this CPU: no
// deadlock happens (nothing else holds them), yet two CPUs doing the two at
// once would each wait for the other. Reported the moment the second order
// begins, naming both locks and the four sites.
Spinlock g_order_first;
Spinlock g_order_second;
[[gnu::noinline]] void take_in_order() {
    const SpinlockGuard first(g_order_first);
    const SpinlockGuard second(g_order_second);
}
[[gnu::noinline]] void take_in_reverse() {
    const SpinlockGuard second(g_order_second);
    const SpinlockGuard first(g_order_first);
}

// The same inversion between two kinds of lock, two locks of each (as each
// CPU has its own of a per-CPU kind): the first order is taken with one
// pair, the opposite with the other pair. No two locks meet both ways, so
// a check keyed by instance sees nothing; keyed by class it is the same
// inversion as above, reported with the classes' names.
constinit LockClass g_first_kind{"crash A"};
constinit LockClass g_second_kind{"crash B"};
Spinlock g_first_of_cpu0{g_first_kind};
Spinlock g_first_of_cpu1{g_first_kind};
Spinlock g_second_of_cpu0{g_second_kind};
Spinlock g_second_of_cpu1{g_second_kind};
[[gnu::noinline]] void take_kinds_in_order() {
    const SpinlockGuard first(g_first_of_cpu0);
    const SpinlockGuard second(g_second_of_cpu0);
}
[[gnu::noinline]] void take_kinds_in_reverse() {
    const SpinlockGuard second(g_second_of_cpu1);
    const SpinlockGuard first(g_first_of_cpu1);
}

// Two locks of one kind held together, with no order between them that the
// check could know: reported as the second one is taken.
[[gnu::noinline]] void take_one_kind_twice() {
    const SpinlockGuard outer(g_first_of_cpu0);
    const SpinlockGuard inner(g_first_of_cpu1);
}

}  // namespace

void lock_held() { hold_on_cpu1_then_wait("lock-held", take_and_keep, wait_for_kept_lock); }

void lock_held_guard() {
    hold_on_cpu1_then_wait("lock-held-guard", keep_through_guard, wait_through_guard);
}

void irq_unsafe_lock() {
    break_irq_rule("irq-unsafe-lock", take_with_interrupts_on, wait_in_handler);
}

void irq_unsafe_class() {
    break_irq_rule("irq-unsafe-class", take_kind_with_interrupts_on, wait_for_kind_in_handler);
}

void lock_recursion() {
    if (!debug_locks("lock-recursion")) return;
    take_once();
    take_again();
}

void lock_order() {
    if (!debug_locks("lock-order")) return;
    take_in_order();
    take_in_reverse();
}

void lock_class_order() {
    if (!debug_locks("lock-class-order")) return;
    take_kinds_in_order();
    take_kinds_in_reverse();
}

void lock_class_nested() {
    if (!debug_locks("lock-class-nested")) return;
    take_one_kind_twice();
}

}  // namespace kernel::crash
