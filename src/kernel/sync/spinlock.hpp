// kernel::Spinlock: a ticket lock. Each locker takes the next ticket and
// spins until the lock serves it, so CPUs get the lock in the order they
// asked for it (no CPU starves while others keep winning a race for it).
//
// A spinlock alone does not stop interrupts: if an interrupt handler on this
// CPU may take the same lock, hold it through IrqSaveSpinlockGuard
// (guard.hpp), never with lock() or SpinlockGuard (docs/interrupts.md,
// "Locking").
#pragma once

#include "arch/arch.hpp"
#include "lib/ktl/types.hpp"

namespace kernel {

class Spinlock {
public:
    constexpr Spinlock() = default;
    Spinlock(const Spinlock&) = delete;
    Spinlock& operator=(const Spinlock&) = delete;
    ~Spinlock() = default;

    void lock() {
        const u32 ticket = __atomic_fetch_add(&next_, 1, __ATOMIC_RELAXED);
        while (__atomic_load_n(&serving_, __ATOMIC_ACQUIRE) != ticket) arch::pause();
    }

    // Takes the lock only if nobody holds it or waits for it.
    [[nodiscard]] bool try_lock() {
        u32 serving = __atomic_load_n(&serving_, __ATOMIC_ACQUIRE);
        return __atomic_compare_exchange_n(&next_, &serving, serving + 1, false, __ATOMIC_ACQUIRE,
                                           __ATOMIC_RELAXED);
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
};

}  // namespace kernel
