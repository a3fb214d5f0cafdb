// The host tests' stand-in for src/arch/x86_64/include/arch/arch.hpp:
// tests/host puts this folder first on the include path, so portable kernel
// code that includes "arch/arch.hpp" runs in a user process. Only what
// portable host-tested code calls is here; a file that needs more fails to
// compile on the host, which says so at once.
//
// Each thread plays one CPU: the interrupt flag is thread-local (nothing
// ever interrupts a thread; the flag is only recorded, so tests can check
// that guards save and restore it).
#pragma once

#include <chrono>
#include <thread>

#include "kernel/time/bounded_wait.hpp"
#include "lib/ktl/types.hpp"

namespace arch {

namespace host {
inline thread_local bool interrupts_on = true;
}

inline void disable_interrupts() { host::interrupts_on = false; }
inline void enable_interrupts() { host::interrupts_on = true; }
[[nodiscard]] inline bool interrupts_enabled() { return host::interrupts_on; }
// Yields rather than spins: the host has fewer cores than the tests have
// threads, and a spinning thread would keep the lock holder off its core.
inline void pause() { std::this_thread::yield(); }

// Never 0, which in the kernel means "the clock is not running yet".
[[nodiscard]] inline u64 microseconds_since_boot() {
    static const auto start = std::chrono::steady_clock::now();
    const auto elapsed = std::chrono::steady_clock::now() - start;
    return static_cast<u64>(
               std::chrono::duration_cast<std::chrono::microseconds>(elapsed).count()) +
           1;
}

namespace host {
// Off: waits read the host's steady clock. On (for the thread that sets
// it): a Timeout begun from then on counts its expired() calls as 1 us
// steps, as the kernel does with no counter at all, so a test can play a
// machine without a clock, and count exactly.
inline thread_local bool wait_steps = false;
}  // namespace host

// The kernel's bounded wait on the host's steady clock, read as a 1 MHz
// counter: the same arithmetic as src/arch/x86_64/timeout.cpp.
class Timeout {
public:
    Timeout() = default;
    explicit Timeout(u64 microseconds) { restart(microseconds); }
    Timeout(const Timeout&) = delete;
    Timeout& operator=(const Timeout&) = delete;
    Timeout(Timeout&&) = delete;
    Timeout& operator=(Timeout&&) = delete;
    ~Timeout() = default;

    void restart(u64 microseconds) {
        steps_ = host::wait_steps;
        steps_taken_ = 0;
        progress_ = {steps_ ? 0 : microseconds_since_boot(),
                     kernel::time::wait_ticks(microseconds, kernel::time::kStepHz), ~u64{0}};
    }
    [[nodiscard]] bool expired() {
        if (!steps_) return progress_.passed(microseconds_since_boot());
        if (progress_.done()) return true;
        return progress_.passed(++steps_taken_);
    }
    [[nodiscard]] kernel::time::WaitClock clock() const {
        return steps_ ? kernel::time::WaitClock::Steps : kernel::time::WaitClock::Timestamp;
    }

private:
    bool steps_ = false;
    u64 steps_taken_ = 0;
    kernel::time::WaitProgress progress_;
};

}  // namespace arch
