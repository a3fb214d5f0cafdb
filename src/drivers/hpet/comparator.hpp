// The HPET's timer 0 as an interrupt source: one-shot, or periodic where
// the timer can reload itself (IA-PC HPET specification 1.0a, §2.3.9).
// The local APIC timer gives the kernel its events; this comparator is a
// second, independent timer for drivers and tests that want one, and a
// check of the I/O APIC path with a device the emulators model exactly.
//
// The line is claimed on demand, not at boot: under the legacy route it
// takes over IRQ 0 (the PIT's) and IRQ 8 (the RTC's), which other code may
// want. Its route, in order of preference:
//   1. an I/O APIC input from the timer's Tn_INT_ROUTE_CAP that no ISA IRQ
//      uses (q35: GSI 16-23, edge, active high);
//   2. the legacy replacement route, timer 0 -> IRQ 0 (QEMU `pc`, whose
//      timers can drive only input 2, the PIT's);
//   else claim() says why not. The `irq` listing shows the line as
//   "hpet timer 0" while it is claimed.
//
// Owner and lock: this file's state belongs to whoever claimed the timer;
// every function takes the driver's lock with interrupts saved, and the
// handler takes it too (it turns a one-shot timer off), which is safe
// because no holder can be interrupted on its own CPU.
#pragma once

#include "kernel/acpi/madt.hpp"
#include "kernel/irq/irq.hpp"
#include "lib/ktl/string_view.hpp"
#include "lib/ktl/types.hpp"
#include "lib/result.hpp"

namespace drivers::hpet::comparator {

inline constexpr ktl::string_view kLineName = "hpet timer 0";
// Shorter delays could be passed by the counter before the comparator is
// written, and hardware that compares for equality would then wait a
// whole counter wrap.
inline constexpr u64 kMinDelayNs = 10'000;

// The MADT's interrupt source overrides decide which I/O APIC inputs the
// ISA IRQs use, and so which inputs the timer must not take. Called once at
// boot (the Clock phase), before any claim(); without it every ISA IRQ is
// taken to be on its own input.
void learn_isa_routes(const kernel::acpi::Madt& madt);
// The I/O APIC inputs the ISA IRQs use, as learnt (a bit per input), for
// the watchdog's NMI timer (nmi_timer.hpp), which must avoid them too.
[[nodiscard]] u32 isa_input_mask();

// Installs timer 0's line (see above) and logs its route, e.g.
// `hpet: timer 0 on GSI 23 (edge, high), one-shot and periodic`.
Result<void, ktl::string_view> claim();
// Stops the timer, removes its line, and gives IRQ 0 and 8 back to the PIT
// and RTC when it had taken them.
void release();

[[nodiscard]] bool claimed();
[[nodiscard]] bool can_be_periodic();
[[nodiscard]] kernel::irq::Handle handle();

// One interrupt `ns` (at least kMinDelayNs) from now.
Result<void, ktl::string_view> arm_oneshot(u64 ns);
// An interrupt every `ns` (at least kMinDelayNs), the first `ns` from now.
Result<void, ktl::string_view> arm_periodic(u64 ns);
// No more interrupts (one already sent may still arrive).
void stop();

// Interrupts taken since claim(), when the last one arrived
// (kernel::time::now_ns()), and the comparator as its handler read it: in
// periodic mode the next match, a whole number of periods after the first.
[[nodiscard]] u64 fired();
[[nodiscard]] u64 last_fired_ns();
[[nodiscard]] u64 last_fired_comparator();
// The comparator register now: the match armed (a 32-bit timer's is 32-bit).
[[nodiscard]] u64 read_comparator();

}  // namespace drivers::hpet::comparator
