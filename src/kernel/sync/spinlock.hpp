// kernel::Spinlock: a ticket lock. Each locker takes the next ticket and
// spins until the lock serves it, so CPUs get the lock in the order they
// asked for it (no CPU starves while others keep winning a race for it).
//
// A spinlock alone does not stop interrupts: if an interrupt handler on this
// CPU may take the same lock, hold it through IrqSaveSpinlockGuard
// (guard.hpp), never with lock() or SpinlockGuard (docs/interrupts.md,
// "Locking").
//
// With KEEL_DEBUG_LOCKS (the kernel's default, cmake/KernelFlags.cmake) the
// lock also records its holder (CPU index and the return address of the
// lock() call), and a CPU that waits longer than kLockHeldTooLongUs panics
// naming the holder and itself (lock_debug.hpp) instead of hanging in
// silence. It also checks the rule above on every use: a lock that an
// interrupt handler has waited for and that was taken with interrupts on
// (irq_usage.hpp), a lock() by the CPU that holds the lock, a lock() that
// takes two locks in the order opposite to one seen before between their
// classes, or a second lock of a class held (lock_order.hpp,
// lock_class.hpp) panics at once, naming the sites; so does an unlock()
// by a CPU that does not hold the lock. Without it the lock is the two
// words below and nothing else.
#pragma once

#include "arch/arch.hpp"
#include "kernel/sync/lock_class.hpp"
#include "lib/ktl/types.hpp"

#if KEEL_DEBUG_LOCKS
#include "kernel/sync/lock_debug.hpp"
// Not inlined, so that __builtin_return_address(0) is the site that took
// the lock (inside the function that called lock() or a guard), not that
// function's caller.
#define KEEL_LOCK_ENTRY [[gnu::noinline]]
#else
#define KEEL_LOCK_ENTRY
#endif

namespace kernel {

class Spinlock {
public:
    // Its own class for the lock-order check (lock_class.hpp).
    constexpr Spinlock() = default;
    // One of the locks of `lock_class`, which outlives it (a static).
    constexpr explicit Spinlock([[maybe_unused]] LockClass& lock_class)
#if KEEL_DEBUG_LOCKS
        : class_(&lock_class)
#endif
    {
    }
    Spinlock(const Spinlock&) = delete;
    Spinlock& operator=(const Spinlock&) = delete;
    ~Spinlock() = default;

    // Joins `lock_class` after construction, for a lock that must start as
    // zero bytes (a per-CPU variable: kernel/smp/per_cpu.hpp). Before the
    // lock is first taken, by the code that owns it.
    void set_class([[maybe_unused]] LockClass& lock_class) {
#if KEEL_DEBUG_LOCKS
        class_ = &lock_class;
#endif
    }

    // Both inlined, so that the lock's recorded site is their caller.
    [[gnu::always_inline]] void lock() { acquire(0); }
    // lock() for a lock nested inside another of its class, in an order the
    // caller guarantees (by address, parent before child): `subclass` is a
    // class of its own in the order check, which otherwise refuses two
    // locks of one class held together (lock_class.hpp). lock() in release
    // builds.
    [[gnu::always_inline]] void lock_nested(LockSubclass subclass) { acquire(subclass.value); }

private:
    KEEL_LOCK_ENTRY void acquire([[maybe_unused]] u32 subclass) {
#if KEEL_DEBUG_LOCKS
        const void* site = __builtin_return_address(0);
        const u32 cpu = before_wait(site, subclass);
        const u32 ticket = __atomic_fetch_add(&next_, 1, __ATOMIC_RELAXED);
        lock_debug::Wait wait{};
        while (__atomic_load_n(&serving_, __ATOMIC_ACQUIRE) != ticket) {
            arch::pause();
            if (wait.too_long()) report_held_too_long(cpu, site);
        }
        record_holder(cpu, site);
#else
        const u32 ticket = __atomic_fetch_add(&next_, 1, __ATOMIC_RELAXED);
        while (__atomic_load_n(&serving_, __ATOMIC_ACQUIRE) != ticket) arch::pause();
#endif
    }

public:
    // Takes the lock only if nobody holds it or waits for it.
    [[nodiscard]] KEEL_LOCK_ENTRY bool try_lock() {
        u32 serving = __atomic_load_n(&serving_, __ATOMIC_ACQUIRE);
        const bool taken = __atomic_compare_exchange_n(&next_, &serving, serving + 1, false,
                                                       __ATOMIC_ACQUIRE, __ATOMIC_RELAXED);
#if KEEL_DEBUG_LOCKS
        if (taken) {
            const void* site = __builtin_return_address(0);
            // A try-lock never waits: it counts only as a use with
            // interrupts on, and never as the second lock of an order.
            const u32 cpu = note_use(false, site).cpu;
            record_holder(cpu, site);
            lock_debug::held(this, cpu, site, true, 0);
        }
#endif
        return taken;
    }

    // try_lock() until it succeeds or `attempts` have failed. Unfair (it
    // takes no ticket, because a ticket cannot be given back): for paths that
    // must not wait forever, such as a panic getting its message out.
    [[nodiscard]] bool try_lock_bounded(u64 attempts) {
        for (u64 i = 0; i < attempts; ++i) {
            if (try_lock()) return true;
            arch::pause();
        }
        return false;
    }

    void unlock() {
#if KEEL_DEBUG_LOCKS
        // Inline when the lock is the last its holder (this CPU, unless the
        // caller breaks the lock) took: no call inside the critical section
        // (docs/smp.md measures what a call there costs under TCG).
        if (!lock_debug::g_held_locks[holder_cpu_].pop_last(this)) lock_debug::released(this);
        __atomic_store_n(&holder_site_, nullptr, __ATOMIC_RELAXED);
#endif
        // Only the holder writes serving_, so this read cannot race a write.
        const u32 serving = __atomic_load_n(&serving_, __ATOMIC_RELAXED);
        __atomic_store_n(&serving_, serving + 1, __ATOMIC_RELEASE);
    }

    // Snapshots for diagnostics; stale as soon as they return.
    [[nodiscard]] bool is_locked() const { return waiting_and_holding() != 0; }
    // How many CPUs wait for the lock (not counting the holder).
    [[nodiscard]] u32 waiters() const {
        const u32 n = waiting_and_holding();
        return n == 0 ? 0 : n - 1;
    }

private:
    [[nodiscard]] u32 waiting_and_holding() const {
        const u32 serving = __atomic_load_n(&serving_, __ATOMIC_RELAXED);
        return __atomic_load_n(&next_, __ATOMIC_RELAXED) - serving;  // wraps correctly
    }

    u32 next_ = 0;     // the ticket the next locker takes
    u32 serving_ = 0;  // the ticket that holds the lock now

#if KEEL_DEBUG_LOCKS
public:
    // For the lock-order check (lock_order.hpp): this lock's class, null
    // when it is its own; and where the class taken as `subclass` keeps its
    // node, 0 until it first takes part in an order (in the lock when it is
    // its own class: a subclass of one lock cannot meet another).
    [[nodiscard]] const LockClass* lock_class() const { return class_; }
    [[nodiscard]] u32* order_node(u32 subclass = 0) const {
        return class_ != nullptr ? class_->node(subclass) : &order_node_;
    }
    // The site that holds it now, or null.
    [[nodiscard]] const void* holder_site() const {
        return __atomic_load_n(&holder_site_, __ATOMIC_ACQUIRE);
    }

private:
    // The interrupt rule, for every use: lock() (`waits`) and a try_lock()
    // that succeeded; a lock of a class keeps it with the class's other
    // locks. Returns where it runs.
    smp::Place note_use(bool waits, const void* site) {
        const smp::Place here = smp::current_place();
        lock_debug::IrqUsage& usage = class_ != nullptr ? class_->irq_usage() : usage_;
        if (usage.note({here.in_interrupt, arch::interrupts_enabled()}, waits, site))
            lock_debug::report({lock_debug::LockProblem::IrqUnsafe,
                                this,
                                nullptr,
                                {usage.handler_site(), usage.interrupts_on_site()},
                                here.cpu,
                                0,
                                0});
        return here;
    }
    // Before the ticket is taken, so that a report leaves the lock as it
    // found it. The interrupt rule first: when a handler finds the lock
    // held by the code it interrupted, both reports are true, and this one
    // says why. Then recursion: a site is recorded only while the lock is
    // held (unlock() clears it first) and after its CPU, so a CPU that
    // finds its own index next to a site holds the lock, in this code or
    // in code it interrupted. Then the order (lock_order.hpp), and the lock
    // goes on the CPU's held locks already, as lockdep does: a ticket
    // taken is a place in the queue, so a handler that interrupts the wait
    // and waits for another lock orders the two. Returns the CPU.
    u32 before_wait(const void* site, u32 subclass) {
        const u32 cpu = note_use(true, site).cpu;
        const void* holder = holder_site();
        if (holder != nullptr && __atomic_load_n(&holder_cpu_, __ATOMIC_RELAXED) == cpu)
            lock_debug::report(
                {lock_debug::LockProblem::Recursion, this, nullptr, {site, holder}, cpu, 0, 0});
        lock_debug::check_order(this, cpu, site, subclass);
        lock_debug::held(this, cpu, site, false, subclass);
        return cpu;
    }
    // The CPU before the site (release): a reader that sees the site sees
    // its CPU (before_wait's recursion check relies on it).
    void record_holder(u32 cpu, const void* site) {
        __atomic_store_n(&holder_cpu_, cpu, __ATOMIC_RELAXED);
        __atomic_store_n(&holder_site_, site, __ATOMIC_RELEASE);
    }
    [[noreturn]] void report_held_too_long(u32 cpu, const void* waiting_site) const {
        lock_debug::report({lock_debug::LockProblem::HeldTooLong,
                            this,
                            nullptr,
                            {__atomic_load_n(&holder_site_, __ATOMIC_RELAXED), waiting_site},
                            cpu,
                            __atomic_load_n(&holder_cpu_, __ATOMIC_RELAXED),
                            0});
    }

    // Written by the holder, read by waiters for the reports and by
    // lock() for the recursion check.
    u32 holder_cpu_ = 0;
    // Written once, by the order check's table, also for a const lock:
    // bookkeeping, not the lock's state.
    mutable u32 order_node_ = 0;
    const void* holder_site_ = nullptr;
    lock_debug::IrqUsage usage_;  // how it has been used (without a class): the interrupt rule
    // Set at construction only. The class's nodes are the order table's.
    LockClass* class_ = nullptr;
#else
public:
    // The reports (lock_debug.cpp) name a lock by its class where it has
    // one; release builds keep none.
    [[nodiscard]] const LockClass* lock_class() const { return nullptr; }
#endif
};

// Release builds: the two ticket words. Debug builds: the holder, the
// order check's node (in the holder's padding), the interrupt rule and the
// class; 8-byte aligned, which the held-lock stack's tags rely on.
#if KEEL_DEBUG_LOCKS
static_assert(sizeof(Spinlock) == 48);
static_assert(alignof(Spinlock) > lock_debug::HeldLocks::kTagBits);
#else
static_assert(sizeof(Spinlock) == 8);
#endif

}  // namespace kernel
