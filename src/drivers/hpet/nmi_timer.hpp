// An HPET timer other than timer 0 as the hard-lockup watchdog's NMI
// source (kernel/watchdog/watchdog.hpp): periodic, routed to a free I/O
// APIC input whose redirection entry delivers an NMI to the boot CPU. The
// boot CPU's tick cannot watch the boot CPU itself, and with one CPU no
// other tick can: only an NMI reaches a CPU that spins with interrupts off.
//
// Why the HPET and not the PIT: the PIT's channel 0 sits on an ISA input
// that the legacy IRQ 0 (and, on PCs with the HPET's legacy route, timer
// 0) may need, and the TSC calibration uses channel 2 of the same chip;
// an HPET timer beyond 0 is otherwise unused, periodic without the CPU's
// help, and its comparator tells the NMI handler whether it fired.
//
// How the NMI handler knows it was this timer: NMIs carry no vector, so
// claim() compares the timer's comparator with the value it saw last: in
// periodic mode the hardware adds the period to it at each match (IA-PC
// HPET specification 1.0a, 2.3.9.2.2). The timer is edge-triggered: no
// status bit to clear, so an NMI lost to another one in flight costs one
// period, not the source.
//
// Owner: the watchdog, for good once run(); reserve() and run() are called
// once, by init, on the boot CPU; claim() and stop() only by the boot CPU's NMI
// handler (it writes g_last alone: no lock).
#pragma once

#include "kernel/watchdog/watchdog.hpp"
#include "lib/ktl/string_view.hpp"
#include "lib/result.hpp"

namespace drivers::hpet::nmi_timer {

// Picks the highest-numbered periodic timer above 0 that can drive a free
// I/O APIC input and routes the highest such input as an NMI to this CPU; the timer
// stays off until run(). Else says why there is none.
Result<const kernel::watchdog::NmiSource*, ktl::string_view> reserve(u32 period_ms);
// Starts the reserved timer: an NMI every period from now.
void run();

}  // namespace drivers::hpet::nmi_timer
