// The hard-lockup watchdog's CPU side (kernel/watchdog/watchdog.hpp is its
// API, kernel/watchdog/heartbeat.hpp its decisions): the check each tick
// makes of another CPU, and the NMI that asks a CPU to report itself.
//
// Owner and locking: each CPU's Watch is touched only by that CPU's tick
// handler; a CPU's report request is set by its one watcher and cleared by
// its own NMI handler, its answers counted there: atomics, no lock (the
// tick and NMI handlers may interrupt any lock holder). The boot CPU's own
// count for the NMI source is touched only by its NMI handler.
#pragma once

#include "arch/x86_64/interrupts/frame.hpp"

namespace arch::watchdog {

// From every CPU's tick handler, after its end of interrupt.
void on_tick();

// From the NMI handler: serves this CPU's report request (panics when the
// interrupted code had interrupts off) and, when `may_be_source`, the boot
// CPU's NMI source. True when the NMI was the watchdog's. `may_be_source`
// is false for an NMI another CPU sent: the source's check must not claim
// the source's change early, or the source's own NMI that follows would
// find nothing and count as unexpected.
[[nodiscard]] bool handle_nmi(const InterruptFrame& frame, bool may_be_source);

}  // namespace arch::watchdog
