#include "kernel/sync/held_locks.hpp"

namespace kernel::lock_debug {

namespace {
// See fill(): the compiler keeps the order of this CPU's writes.
void keep_order() { __atomic_signal_fence(__ATOMIC_SEQ_CST); }
}  // namespace

bool HeldLocks::pop(const void* lock) {
    const u32 d = depth();
    const auto address = reinterpret_cast<uptr>(lock);
    // From the top: the lock released last is usually the one taken last.
    for (u32 i = d; i-- > 0;) {
        if ((__atomic_load_n(&locks_[i], __ATOMIC_RELAXED) & ~kTagBits) != address) continue;
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
    return {reinterpret_cast<const void*>(lock & ~kTagBits),
            __atomic_load_n(&sites_[i], __ATOMIC_RELAXED), (lock & 1U) != 0,
            static_cast<u32>((lock & kTagBits) >> 1)};
}

}  // namespace kernel::lock_debug
