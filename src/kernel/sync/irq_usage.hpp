// How a lock has been used with respect to interrupts, for the debug lock's
// interrupt-safety check (KEEL_DEBUG_LOCKS, spinlock.hpp): the rule of
// docs/interrupts.md, "Locking", checked on every use instead of waiting for
// the unlucky interrupt.
//
// Two uses conflict. A handler that WAITS for the lock (lock(); a try_lock
// gives up instead of waiting, so it cannot deadlock) and code outside
// interrupt context that TAKES it with interrupts ON: an interrupt arriving
// on that CPU while it holds the lock would spin forever in the handler.
// Each use keeps the site of its first occurrence; once both are known the
// lock is unsafe, whether or not the interrupt ever came at the wrong
// moment. Lock-free (sites are published by compare-and-swap, first wins),
// so any CPU and any handler may record.
//
// Hardware-independent: host-tested in tests/host/lock_rules_test.cpp.
#pragma once

#include "lib/ktl/types.hpp"

namespace kernel::lock_debug {

// Where a lock use happens, as the check sees it.
struct Context {
    bool in_interrupt;   // an interrupt handler runs on this CPU (smp::in_interrupt)
    bool interrupts_on;  // the CPU's interrupt flag
};

class IrqUsage {
public:
    constexpr IrqUsage() = default;

    // lock() at `site`; try_lock() that succeeded at `site` (`waits` false).
    // Returns true when the lock is now known to be unsafe (both sites set).
    bool note(Context context, bool waits, const void* site) {
        if (context.in_interrupt) {
            if (waits) first(handler_site_, site);
        } else if (context.interrupts_on) {
            first(interrupts_on_site_, site);
        }
        return unsafe();
    }

    [[nodiscard]] bool unsafe() const {
        return handler_site() != nullptr && interrupts_on_site() != nullptr;
    }
    // The first handler that waited for the lock, or null.
    [[nodiscard]] const void* handler_site() const {
        return __atomic_load_n(&handler_site_, __ATOMIC_ACQUIRE);
    }
    // The first site that took it outside interrupt context with interrupts
    // on, or null.
    [[nodiscard]] const void* interrupts_on_site() const {
        return __atomic_load_n(&interrupts_on_site_, __ATOMIC_ACQUIRE);
    }

private:
    // Loads before it swaps: after the first use of a kind, every later one
    // is a load, not a locked instruction on a line other CPUs read.
    static void first(const void*& slot, const void* site) {
        if (__atomic_load_n(&slot, __ATOMIC_RELAXED) != nullptr) return;
        const void* expected = nullptr;
        __atomic_compare_exchange_n(&slot, &expected, site, false, __ATOMIC_RELEASE,
                                    __ATOMIC_RELAXED);
    }

    const void* handler_site_ = nullptr;
    const void* interrupts_on_site_ = nullptr;
};

}  // namespace kernel::lock_debug
