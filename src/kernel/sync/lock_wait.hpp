// The debug lock's bound on one wait for a lock (lock_debug.hpp): after
// kLockHeldTooLongUs the waiter reports the holder instead of spinning on.
// Apart from lock_debug.hpp so that the host tests can time it
// (tests/host/lock_wait_test.cpp).
//
// The bound is time, in every clock case: arch::Timeout (docs/time.md,
// "Bounded waits") counts the TSC at its rate, else the HPET or PM timer,
// else the TSC at its fastest plausible rate, else ~1 us port writes. A
// count of spins is no bound: under emulation or on a fast CPU 2^30 of
// them last anywhere from a second to minutes.
//
// The path it runs on: a spinlock's slow path, on any CPU, maybe in an NMI
// handler or with interrupts off. The Timeout takes no lock (it reads a
// counter, or writes port 0x80), so it never waits itself nor comes back
// here through another lock.
#pragma once

#include "arch/arch.hpp"
#include "lib/ktl/types.hpp"

namespace kernel::lock_debug {

inline constexpr u64 kLockHeldTooLongUs = 5'000'000;

class Wait {
public:
    Wait() = default;
    // A shorter bound, for the host tests.
    explicit Wait(u64 bound_us) : bound_us_(bound_us) {}

    // One spin more; true once the bound has passed. The first
    // kSpinsBeforeClock spins read no clock (a lock is mostly held
    // briefly, and every lock() pays for this); from then on each spin
    // checks the Timeout, which is one counter read, or without any
    // counter the ~1 us port write that is the time counted.
    [[nodiscard]] bool too_long() {
        if (spins_ < kSpinsBeforeClock) {
            if (++spins_ == kSpinsBeforeClock) timeout_.restart(bound_us_);
            return false;
        }
        return timeout_.expired();
    }
    [[nodiscard]] kernel::time::WaitClock clock() const { return timeout_.clock(); }

    static constexpr u64 kSpinsBeforeClock = 1024;

private:
    u64 spins_ = 0;  // up to kSpinsBeforeClock
    u64 bound_us_ = kLockHeldTooLongUs;
    arch::Timeout timeout_;  // begun after kSpinsBeforeClock spins
};

}  // namespace kernel::lock_debug
