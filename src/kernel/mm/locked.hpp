// An allocator core and the lock that guards it, as one object: the cores
// (BuddyAllocator, Heap) are deliberately unlocked so that the host tests and
// fuzzers drive them directly, and the kernel decides the lock.
//
// The kernel instantiates Locked<Core, kernel::Spinlock,
// kernel::IrqSaveSpinlockGuard> (kernel/sync/guard.hpp), because frames and
// heap blocks may be freed from interrupt handlers: an allocator lock held
// with interrupts enabled could be wanted again by a handler on the same CPU.
// Host code uses std::mutex with std::lock_guard, or NoLock.
#pragma once

namespace kernel::mm {

// For single-threaded users (tests, the early boot before other CPUs run).
struct NoLock {
    void lock() {}
    void unlock() {}
};

// ScopedLock's constructor and with() are always inlined, even at -O0, for
// the debug lock's sake (kernel/sync/guard.hpp): the site it records is then
// the function that called with(), not with() itself.
template <typename Lock>
class ScopedLock {
public:
    [[gnu::always_inline]] explicit ScopedLock(Lock& lock) : lock_(lock) { lock_.lock(); }
    ~ScopedLock() { lock_.unlock(); }
    ScopedLock(const ScopedLock&) = delete;
    ScopedLock& operator=(const ScopedLock&) = delete;

private:
    Lock& lock_;
};

// Every access goes through with(): the core cannot be reached unlocked.
template <typename Core, typename Lock, typename Guard = ScopedLock<Lock>>
class Locked {
public:
    template <typename F>
    [[gnu::always_inline]] decltype(auto) with(F&& f) {
        Guard guard(lock_);
        return f(core_);
    }

    // Only for code that runs before any other CPU or interrupt can reach
    // the core (initialisation) and for tests.
    Core& unlocked() { return core_; }

private:
    Lock lock_{};
    Core core_{};
};

}  // namespace kernel::mm
