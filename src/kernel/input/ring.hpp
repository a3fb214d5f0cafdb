// EventRing: the bounded ring behind the input queue (queue.hpp), a class
// so the host tests can make their own. Several producers (interrupt
// handlers on any CPU) and consumers share it under one spinlock that is
// only ever held with interrupts off (IrqSaveSpinlockGuard): a handler can
// therefore never interrupt a holder on its own CPU and spin on the lock it
// holds, and a holder on another CPU releases it after a few stores.
#pragma once

#include "kernel/input/event.hpp"
#include "kernel/sync/guard.hpp"
#include "kernel/sync/spinlock.hpp"
#include "lib/ktl/types.hpp"

namespace kernel::input {

template <usize Capacity>
class EventRing {
public:
    // Adds `event`; a full ring keeps what it has and counts the loss: the
    // oldest keys matter more than the newest (a line typed in order).
    bool push(const Event& event) {
        const IrqSaveSpinlockGuard guard(lock_);
        if (count_ == Capacity) {
            ++dropped_;
            return false;
        }
        slots_[(head_ + count_) % Capacity] = event;
        ++count_;
        ++pushed_;
        return true;
    }

    bool pop(Event& out) {
        const IrqSaveSpinlockGuard guard(lock_);
        if (count_ == 0) return false;
        out = slots_[head_];
        head_ = (head_ + 1) % Capacity;
        --count_;
        return true;
    }

    struct Stats {
        u64 pushed;
        u64 dropped;
        usize queued;
    };
    [[nodiscard]] Stats stats() {
        const IrqSaveSpinlockGuard guard(lock_);
        return {pushed_, dropped_, count_};
    }
    static constexpr usize capacity() { return Capacity; }

private:
    Spinlock lock_;
    Event slots_[Capacity]{};
    usize head_ = 0;   // the oldest event
    usize count_ = 0;  // events queued
    u64 pushed_ = 0;
    u64 dropped_ = 0;
};

}  // namespace kernel::input
