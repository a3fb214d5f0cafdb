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
// (irq_usage.hpp), or a lock() by the CPU that holds the lock, panics at
// once, naming the sites. Without it the lock is the two words below and
// nothing else.
#pragma once

#include "arch/arch.hpp"
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
    constexpr Spinlock() = default;
    Spinlock(const Spinlock&) = delete;
    Spinlock& operator=(const Spinlock&) = delete;
    ~Spinlock() = default;

    KEEL_LOCK_ENTRY void lock() {
#if KEEL_DEBUG_LOCKS
        const void* site = __builtin_return_address(0);
        const smp::Place here = smp::current_place();
        check_before_wait(here, site);
        const u32 ticket = __atomic_fetch_add(&next_, 1, __ATOMIC_RELAXED);
        lock_debug::Wait wait{};
        while (__atomic_load_n(&serving_, __ATOMIC_ACQUIRE) != ticket) {
            arch::pause();
            if (wait.too_long()) report_held_too_long(site);
        }
        record_holder(here.cpu, site);
#else
        const u32 ticket = __atomic_fetch_add(&next_, 1, __ATOMIC_RELAXED);
        while (__atomic_load_n(&serving_, __ATOMIC_ACQUIRE) != ticket) arch::pause();
#endif
    }

    // Takes the lock only if nobody holds it or waits for it.
    [[nodiscard]] KEEL_LOCK_ENTRY bool try_lock() {
        u32 serving = __atomic_load_n(&serving_, __ATOMIC_ACQUIRE);
        const bool taken = __atomic_compare_exchange_n(&next_, &serving, serving + 1, false,
                                                       __ATOMIC_ACQUIRE, __ATOMIC_RELAXED);
#if KEEL_DEBUG_LOCKS
        if (taken) {
            const void* site = __builtin_return_address(0);
            const smp::Place here = smp::current_place();
            // A try-lock never waits: only a use with interrupts on counts.
            if (usage_.note({here.in_interrupt, arch::interrupts_enabled()}, false, site))
                lock_debug::report_irq_unsafe(this, usage_);
            record_holder(here.cpu, site);
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
    // Before the ticket is taken, so that a report leaves the lock as it
    // found it. The interrupt rule first: when a handler finds the lock
    // held by the code it interrupted, both reports are true, and this one
    // says why. Then recursion: a site is recorded only while the lock is
    // held (unlock() clears it first) and after its CPU, so a CPU that
    // finds its own index next to a site holds the lock, in this code or
    // in code it interrupted.
    void check_before_wait(smp::Place here, const void* site) {
        if (usage_.note({here.in_interrupt, arch::interrupts_enabled()}, true, site))
            lock_debug::report_irq_unsafe(this, usage_);
        const void* holder_site = __atomic_load_n(&holder_site_, __ATOMIC_ACQUIRE);
        if (holder_site != nullptr && __atomic_load_n(&holder_cpu_, __ATOMIC_RELAXED) == here.cpu)
            lock_debug::report_recursion(this, here.cpu, site, holder_site);
    }
    // The CPU before the site (release): a reader that sees the site sees
    // its CPU (check_before_wait's recursion check relies on it).
    void record_holder(u32 cpu, const void* site) {
        __atomic_store_n(&holder_cpu_, cpu, __ATOMIC_RELAXED);
        __atomic_store_n(&holder_site_, site, __ATOMIC_RELEASE);
    }
    [[noreturn]] void report_held_too_long(const void* waiting_site) const {
        lock_debug::report_held_too_long(this, __atomic_load_n(&holder_cpu_, __ATOMIC_RELAXED),
                                         __atomic_load_n(&holder_site_, __ATOMIC_RELAXED),
                                         waiting_site);
    }

    // Written by the holder, read by waiters for the reports and by
    // lock() for the recursion check.
    u32 holder_cpu_ = 0;
    const void* holder_site_ = nullptr;
    lock_debug::IrqUsage usage_;  // how it has been used: the interrupt rule
#endif
};

}  // namespace kernel
