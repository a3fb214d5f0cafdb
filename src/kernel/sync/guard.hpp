// Scoped guards for kernel::Spinlock and the CPU's interrupt flag.
//
//   InterruptSaveGuard    interrupts off on this CPU; the previous state
//                         (on or off) comes back at the end of the scope.
//   SpinlockGuard         the lock only. For locks no interrupt handler
//                         ever takes.
//   IrqSaveSpinlockGuard  interrupts off, then the lock; the lock released,
//                         then interrupts restored. For every lock that an
//                         interrupt handler may take too: the handler cannot
//                         then interrupt this CPU while it holds the lock and
//                         spin forever on it.
//
// The guards nest: an IrqSaveSpinlockGuard inside another leaves interrupts
// off when it ends, because they were off when it began.
#pragma once

#include "arch/arch.hpp"
#include "kernel/sync/spinlock.hpp"

namespace kernel {

class [[nodiscard]] InterruptSaveGuard {
public:
    InterruptSaveGuard() : were_enabled_(arch::interrupts_enabled()) { arch::disable_interrupts(); }
    ~InterruptSaveGuard() {
        if (were_enabled_) arch::enable_interrupts();
    }
    InterruptSaveGuard(const InterruptSaveGuard&) = delete;
    InterruptSaveGuard& operator=(const InterruptSaveGuard&) = delete;

    [[nodiscard]] bool were_enabled() const { return were_enabled_; }

private:
    bool were_enabled_;
};

// The lock guards' constructors are always inlined, even at -O0: the debug
// lock records the return address of its lock() call as the site that took
// it (spinlock.hpp), which must fall in the function that declared the
// guard, not in a constructor every lock in the kernel shares.
class [[nodiscard]] SpinlockGuard {
public:
    [[gnu::always_inline]] explicit SpinlockGuard(Spinlock& lock) : lock_(lock) { lock_.lock(); }
    ~SpinlockGuard() { lock_.unlock(); }
    SpinlockGuard(const SpinlockGuard&) = delete;
    SpinlockGuard& operator=(const SpinlockGuard&) = delete;

private:
    Spinlock& lock_;
};

class [[nodiscard]] IrqSaveSpinlockGuard {
public:
    [[gnu::always_inline]] explicit IrqSaveSpinlockGuard(Spinlock& lock) : lock_(lock) {}
    IrqSaveSpinlockGuard(const IrqSaveSpinlockGuard&) = delete;
    IrqSaveSpinlockGuard& operator=(const IrqSaveSpinlockGuard&) = delete;
    ~IrqSaveSpinlockGuard() = default;

private:
    // Members end in reverse order: the lock is released before interrupts
    // come back on.
    InterruptSaveGuard interrupts_;
    SpinlockGuard lock_;
};

}  // namespace kernel
