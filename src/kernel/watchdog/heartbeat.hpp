// The hard-lockup watchdog's decisions, hardware-independent (host-tested
// in tests/host/watchdog_test.cpp): which CPU watches which, and when a
// heartbeat that stopped moving makes a CPU stuck. The arch side
// (arch/x86_64/watchdog/) feeds it each CPU's tick count and sends the
// NMIs; docs/interrupts.md, "Watchdog", has the design.
//
// A heartbeat is the number of timer interrupts a CPU has taken. It moves
// 100 times a second while the CPU takes interrupts; a CPU that spins with
// interrupts off stops it. Time is counted in the observer's own events
// (its ticks, or the HPET's NMIs), never in TSC time: a whole virtual
// machine the host stops for a while stops observer and observed alike,
// and must not look like a lockup when it resumes.
#pragma once

#include "lib/ktl/types.hpp"

namespace kernel::watchdog {

inline constexpr u32 kNoCpu = 0xFFFF'FFFF;

// The CPU `self` watches among `online` CPUs numbered 0..online-1: the next
// one in a ring, so each is watched by exactly one other. kNoCpu with a
// single CPU (nobody else to watch), or when `self` is not online.
[[nodiscard]] u32 watched_by(u32 self, u32 online);

// Counts the observations in a row that found a heartbeat where it was.
class QuietCounter {
public:
    // One observation. `eligible`: the CPU is expected to beat (online, its
    // tick running and not masked on purpose); an ineligible one starts the
    // count again. True from the `limit`-th quiet observation on.
    [[nodiscard]] bool observe(u64 heartbeat, bool eligible, u32 limit);
    void restart() { primed_ = false; }
    [[nodiscard]] u32 quiet() const { return quiet_; }

private:
    u64 last_ = 0;
    u32 quiet_ = 0;
    bool primed_ = false;  // last_ holds a heartbeat seen
};

// What a watching CPU does after one look at its target.
enum class Verdict : u8 {
    Alive,        // nothing to do
    AskToReport,  // quiet for the limit: send it the "report yourself" NMI
    Unanswered,   // it did not answer that NMI within the limit either: panic naming it
};

// One watcher's view of its target, advanced on each of the watcher's ticks.
// After AskToReport, the target either panics (stuck with interrupts off),
// or answers that it was not (its interrupted code had interrupts on: its
// tick was late, not blocked), which bumps `answers` and starts the watch
// again.
class Watch {
public:
    struct Seen {
        u64 heartbeat = 0;
        bool eligible = false;
        u64 answers = 0;  // the target's answers to report requests so far
    };
    [[nodiscard]] Verdict check(u32 target, const Seen& seen, u32 limit);
    // Looks since the request went out (0 when none is pending).
    [[nodiscard]] u32 waited() const { return asked_ ? waited_ : 0; }
    // Looks since the heartbeat was last seen to move: the quiet ones, and
    // those since the request. For the report of a target that never
    // answered: how long it has been silent.
    [[nodiscard]] u32 silent() const { return quiet_.quiet() + waited(); }

private:
    void restart(u32 target);

    // A fresh Watch is one restarted for CPU 0: all zero bytes, so that
    // it can be a per-CPU variable (kernel/smp/per_cpu.hpp).
    u32 target_ = 0;
    QuietCounter quiet_;
    bool asked_ = false;
    u64 answers_at_ask_ = 0;
    u32 waited_ = 0;
};

}  // namespace kernel::watchdog
