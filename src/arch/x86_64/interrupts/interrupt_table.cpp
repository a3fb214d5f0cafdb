#include "arch/x86_64/interrupts/interrupt_table.hpp"

#include "kernel/sync/guard.hpp"

namespace arch {

namespace {
InterruptTable g_table;
}

ktl::string_view describe(VectorError error) {
    switch (error) {
        case VectorError::Busy:
            return "the vector already has a handler";
        case VectorError::NotInstalled:
            return "that handler is not installed on the vector";
        case VectorError::NoneFree:
            return "no free vector in the range";
        case VectorError::BadRange:
            return "the vector range is empty or reaches the exception vectors";
    }
    return "unknown error";
}

// Interrupts off while the lock is held: a handler on this CPU may itself
// install or remove a handler (a device that re-arms), and must not find
// the lock held by the code it interrupted.
Result<void, VectorError> InterruptTable::install(u8 vector, const InterruptHandler& handler) {
    const kernel::IrqSaveSpinlockGuard hold(lock_);
    if (handlers_[vector] != nullptr) return VectorError::Busy;
    __atomic_store_n(&handlers_[vector], &handler, __ATOMIC_RELEASE);
    return {};
}

Result<void, VectorError> InterruptTable::remove(u8 vector, const InterruptHandler& handler) {
    const kernel::IrqSaveSpinlockGuard hold(lock_);
    if (handlers_[vector] != &handler) return VectorError::NotInstalled;
    __atomic_store_n(&handlers_[vector], nullptr, __ATOMIC_RELEASE);
    return {};
}

Result<u8, VectorError> InterruptTable::allocate(const InterruptHandler& handler, u8 first,
                                                 u8 last) {
    if (first < kFirstFreeVector || first > last) return VectorError::BadRange;
    const kernel::IrqSaveSpinlockGuard hold(lock_);
    for (usize v = first; v <= last; ++v) {
        if (handlers_[v] != nullptr) continue;
        __atomic_store_n(&handlers_[v], &handler, __ATOMIC_RELEASE);
        return static_cast<u8>(v);
    }
    return VectorError::NoneFree;
}

bool InterruptTable::dispatch(InterruptFrame& frame) {
    const u8 vector = static_cast<u8>(frame.vector);
    __atomic_fetch_add(&counts_[vector], 1, __ATOMIC_RELAXED);
    const InterruptHandler* handler = this->handler(vector);
    if (handler == nullptr) {
        __atomic_fetch_add(&unhandled_, 1, __ATOMIC_RELAXED);
        return false;
    }
    handler->handle(frame, handler->context);
    return true;
}

InterruptTable& interrupt_table() { return g_table; }

}  // namespace arch
