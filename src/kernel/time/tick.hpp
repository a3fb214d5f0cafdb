// The periodic tick and what is built on it: a tick counter, sleeping and
// timeouts. The tick is the local APIC timer's (src/arch/x86_64/apic/
// local_timer.cpp), calibrated against the TSC; the Interrupts phase starts
// it at kTickHz. Before that, or without a local APIC or a TSC rate, no
// tick runs: ticks() stays 0 and sleep_us() spins (arch::Timeout).
#pragma once

#include "arch/arch.hpp"
#include "lib/ktl/types.hpp"

namespace kernel::time {

inline constexpr u32 kTickHz = 100;

// Tick periods since the tick started. A period that ended while the CPU
// could not take the interrupt (held with interrupts off, or an emulator's
// host not running it) is counted by the next interrupt: ticks() measures
// time, tick_interrupts() how many interrupts delivered it.
[[nodiscard]] u64 ticks();
[[nodiscard]] u64 tick_interrupts();
// Every CPU runs its own tick (docs/smp.md, "Timers"); ticks() and
// tick_interrupts() are the boot CPU's, these any CPU's by index (0 for
// one that runs no tick).
[[nodiscard]] u64 ticks_on(u32 cpu);
[[nodiscard]] u64 tick_interrupts_on(u32 cpu);
// The tick's rate, 0 when no tick runs.
[[nodiscard]] u32 tick_hz();
// Stops (masked) or restarts this CPU's tick interrupt: its local APIC
// timer's LVT entry. For tests and for code that must measure without it.
void mask_tick(bool masked);

// How this CPU's timer keeps to what it was armed for: each one-shot
// armed for at least a quarter period, timed with the TSC from arming to
// its interrupt, in thousandths of what it was armed for (1000: on time).
// ticks() cannot show a timer whose count rate was mis-measured (the grid
// of deadlines is the TSC's, and periods that pass without an interrupt
// are counted as missed); this does. A host holding the CPU makes some
// periods late but none early, so the smallest figure is the timer's own.
// The last kTimedPeriods are kept.
inline constexpr usize kTimedPeriods = 128;
struct PeriodTiming {
    u64 periods;       // timed since `since` (min and median: of the last 128)
    u32 min_permille;  // 0 when none
    u32 median_permille;
};
// Periods timed on this CPU so far; period_timing(since) covers the ones after.
[[nodiscard]] u64 timed_periods();
[[nodiscard]] PeriodTiming period_timing(u64 since);

// Called at each of the boot CPU's ticks, inside its interrupt handler
// (interrupts off): it must be short and must never wait for a lock. One
// hook (the framebuffer console's present, init/boot_console.cpp); null
// removes it.
using TickHook = void (*)();
void set_tick_hook(TickHook hook);

// Waits at least `us` microseconds: halts until the last tick before the
// end, then spins on arch::Timeout for the rest. Halts only when a tick
// runs and interrupts are on (it would halt forever otherwise); without a
// clock rate it spins on the best counter there is (arch::Timeout; a count
// of ~1 us port writes when there is none).
void sleep_us(u64 us);

// A point in time `us` from now, for timeouts: expired() once it passed.
// It never expires early: with the clock's rate unknown it counts as
// arch::Timeout does (docs/time.md, "Bounded waits"), so it does not
// expire at once either. Each expired() may be one of its ~1 us steps:
// check it where the wait is, and do not copy it.
struct Deadline {
    explicit Deadline(u64 us);
    arch::Timeout timeout;
};
[[nodiscard]] inline Deadline deadline_after_us(u64 us) { return Deadline(us); }
[[nodiscard]] bool expired(Deadline& deadline);

}  // namespace kernel::time
