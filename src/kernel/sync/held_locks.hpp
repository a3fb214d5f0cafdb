// The locks one CPU holds, in the order it took them: what the lock-order
// check (lock_order.hpp) draws its edges from. One per CPU, written by
// that CPU only: by the code it runs and by the interrupt handlers (NMIs
// included) that interrupt it, which share the stack because a handler
// that waits for a lock keeps the interrupted code's locks held too.
//
// No lock, and none is needed: a handler always leaves the stack as deep
// as it found it (it releases what it took before it returns), so each
// step below is safe to interrupt between any two of its writes. A push
// reserves its slot before filling it, and every free slot is null, so a
// handler never sees a half-written entry as held; an unlock out of order
// copies each later entry down over the released one before the top slot
// is cleared, so a handler that reads meanwhile sees every held lock at
// least once (a duplicate only repeats an edge).
//
// Bounded: kDepth locks are tracked; locks taken beyond that are held
// untracked (no edge from or to them, counted) until enough are released.
// Keel's own nesting is a few locks deep; what runs deeper is call_on_all,
// which holds the mailbox of every other CPU (taken by try_lock).
//
// Hardware-independent: host-tested in tests/host/lock_order_test.cpp.
#pragma once

#include "lib/ktl/types.hpp"

namespace kernel::lock_debug {

class HeldLocks {
public:
    static constexpr u32 kDepth = 16;

    // The low bits of a lock's address a slot keeps its tags in: a lock is
    // 8-byte aligned (a Spinlock with KEEL_DEBUG_LOCKS holds pointers).
    static constexpr uptr kTagBits = 7;
    static constexpr u32 kSubclasses = 4;  // bits 1-2

    struct Entry {
        const void* lock;  // null: a free slot, or one being filled
        const void* site;  // where it was taken
        bool tried;        // taken by try_lock (it never waited)
        u32 subclass;      // lock_nested's (lock_class.hpp), 0 for lock()
    };

    constexpr HeldLocks() = default;

    // Inline: every lock() and successful try_lock() pushes. `subclass`
    // below kSubclasses.
    void push(const void* lock, const void* site, bool tried, u32 subclass = 0) {
        const u32 d = depth();
        if (d == kDepth) {
            __atomic_store_n(&untracked_, untracked() + 1, __ATOMIC_RELAXED);
            return;
        }
        __atomic_store_n(&depth_, d + 1, __ATOMIC_RELAXED);  // the slot is ours, still null
        __atomic_signal_fence(__ATOMIC_SEQ_CST);
        fill(d, reinterpret_cast<uptr>(lock) | (tried ? 1U : 0U) | uptr{subclass} << 1, site);
    }
    // False when `lock` is not held here (neither tracked nor untracked).
    [[nodiscard]] bool pop(const void* lock);
    // The common case, inline: `lock` is the last one pushed. False
    // otherwise (then pop() finds it, or says it is not held).
    [[nodiscard]] bool pop_last(const void* lock) {
        const u32 d = depth();
        if (d == 0 || (__atomic_load_n(&locks_[d - 1], __ATOMIC_RELAXED) & ~kTagBits) !=
                          reinterpret_cast<uptr>(lock))
            return false;
        __atomic_store_n(&locks_[d - 1], uptr{0}, __ATOMIC_RELAXED);
        __atomic_signal_fence(__ATOMIC_SEQ_CST);
        __atomic_store_n(&depth_, d - 1, __ATOMIC_RELAXED);
        return true;
    }

    // Slots [0, depth()); a null lock in one is not held (being filled).
    [[nodiscard]] u32 depth() const { return __atomic_load_n(&depth_, __ATOMIC_RELAXED); }
    [[nodiscard]] Entry entry(u32 i) const;
    // Locks held beyond kDepth, untracked.
    [[nodiscard]] u32 untracked() const { return __atomic_load_n(&untracked_, __ATOMIC_RELAXED); }
    [[nodiscard]] bool empty() const { return depth() == 0 && untracked() == 0; }

private:
    // Both halves of a slot are written with the lock last, null first:
    // readers on this CPU see a lock only with its own site. (Only handlers
    // on this CPU read concurrently: the compiler must keep the order of
    // the writes, the CPU keeps it for its own reads anyway.)
    void fill(u32 i, uptr lock_and_tried, const void* site) {
        __atomic_store_n(&locks_[i], uptr{0}, __ATOMIC_RELAXED);
        __atomic_signal_fence(__ATOMIC_SEQ_CST);
        __atomic_store_n(&sites_[i], site, __ATOMIC_RELAXED);
        __atomic_signal_fence(__ATOMIC_SEQ_CST);
        __atomic_store_n(&locks_[i], lock_and_tried, __ATOMIC_RELAXED);
    }

    // The lock's address with bit 0 set for a try_lock and the subclass
    // in bits 1-2 (kTagBits).
    uptr locks_[kDepth] = {};
    const void* sites_[kDepth] = {};
    u32 depth_ = 0;
    u32 untracked_ = 0;
};

}  // namespace kernel::lock_debug
