#include "kernel/sync/held_locks.hpp"

namespace kernel::lock_debug {

namespace {
// Only handlers on this CPU read concurrently: the compiler must keep the
// order of the writes, the CPU keeps it for its own reads anyway.
void keep_order() { __atomic_signal_fence(__ATOMIC_SEQ_CST); }
}  // namespace

void HeldLocks::fill(u32 i, uptr lock_and_tried, const void* site) {
    __atomic_store_n(&locks_[i], uptr{0}, __ATOMIC_RELAXED);
    keep_order();
    __atomic_store_n(&sites_[i], site, __ATOMIC_RELAXED);
    keep_order();
    __atomic_store_n(&locks_[i], lock_and_tried, __ATOMIC_RELAXED);
}

void HeldLocks::push(const void* lock, const void* site, bool tried) {
    const u32 d = depth();
    if (d == kDepth) {
        __atomic_store_n(&untracked_, untracked() + 1, __ATOMIC_RELAXED);
        return;
    }
    __atomic_store_n(&depth_, d + 1, __ATOMIC_RELAXED);  // the slot is ours, still null
    keep_order();
    fill(d, reinterpret_cast<uptr>(lock) | (tried ? 1U : 0U), site);
}

bool HeldLocks::pop(const void* lock) {
    const u32 d = depth();
    const auto address = reinterpret_cast<uptr>(lock);
    // From the top: the lock released last is usually the one taken last.
    for (u32 i = d; i-- > 0;) {
        if ((__atomic_load_n(&locks_[i], __ATOMIC_RELAXED) & ~uptr{1}) != address) continue;
        for (u32 j = i; j + 1 < d; ++j)
            fill(j, __atomic_load_n(&locks_[j + 1], __ATOMIC_RELAXED),
                 __atomic_load_n(&sites_[j + 1], __ATOMIC_RELAXED));
        __atomic_store_n(&locks_[d - 1], uptr{0}, __ATOMIC_RELAXED);
        keep_order();
        __atomic_store_n(&depth_, d - 1, __ATOMIC_RELAXED);
        return true;
    }
    // Not tracked: one of those taken beyond kDepth, whichever it was.
    const u32 untracked = this->untracked();
    if (untracked == 0) return false;
    __atomic_store_n(&untracked_, untracked - 1, __ATOMIC_RELAXED);
    return true;
}

HeldLocks::Entry HeldLocks::entry(u32 i) const {
    const uptr lock = __atomic_load_n(&locks_[i], __ATOMIC_RELAXED);
    keep_order();
    return {reinterpret_cast<const void*>(lock & ~uptr{1}),
            __atomic_load_n(&sites_[i], __ATOMIC_RELAXED), (lock & 1U) != 0};
}

}  // namespace kernel::lock_debug
