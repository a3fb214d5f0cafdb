// The local APIC timers: the boot CPU's calibrated against the TSC, then
// the kernel's periodic tick on every CPU (kernel/time/tick.hpp), re-armed each period for
// an absolute TSC deadline: in TSC-deadline mode where the CPU has it,
// else as a one-shot count (timer_math.hpp).
#pragma once

#include "lib/ktl/types.hpp"

namespace arch::local_timer {

struct Started {
    const char* error;  // why no tick runs, or null
    u64 timer_hz;       // the timer's count rate (one-shot mode)
    bool tsc_deadline;
    u8 vector;
};
// Needs the local APIC up and the TSC rate known.
[[nodiscard]] Started start(u32 tick_hz);

// An application processor's timer, started with the boot CPU's
// calibration after checking it: this CPU's timer rate measured against its
// own TSC, to compare with the boot CPU's (docs/smp.md, "Timers").
struct ApTimer {
    const char* error;  // why this CPU runs no tick, or null
    u64 timer_hz;       // measured here (0 in TSC-deadline mode)
    u64 boot_hz;        // the boot CPU's calibration
    bool tsc_deadline;  // counts the TSC itself: nothing to compare
};
// Called on the AP, with its local APIC enabled, after start() ran on the
// boot CPU; starts its tick unless `error`.
ApTimer start_this_ap();
// What start_this_ap() found on CPU `index` (zeros before it ran).
[[nodiscard]] ApTimer ap_check(u32 index);

}  // namespace arch::local_timer

namespace arch::local_timer {

// CPU `cpu`'s tick as another CPU sees it (the hard-lockup watchdog):
// `interrupts` is its heartbeat, the tick periods its handler ended.
struct TickState {
    u64 interrupts;
    bool running;
    bool masked;  // on purpose, by kernel::time::mask_tick
};
[[nodiscard]] TickState tick_state(u32 cpu);

}  // namespace arch::local_timer
