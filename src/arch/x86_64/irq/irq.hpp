// The arch side of kernel/irq/irq.hpp: the Interrupts phase's verdict
// (init.cpp), vectors without a handler, and which
// line's handler is running (for the crash report of a fault inside one).
#pragma once

#include "arch/x86_64/interrupts/frame.hpp"
#include "kernel/acpi/madt.hpp"
#include "lib/format/format.hpp"

namespace arch::irq {

// A vector >= 32 that found no handler, or an interrupt that arrived on an
// exception's vector (`why` says which): counted, reported once per
// vector, acknowledged if the local APIC holds it in service. Never fatal.
void handle_unexpected_vector(const InterruptFrame& frame, ktl::string_view why = "no handler");

// The Interrupts phase's verdict (init.cpp): the API works, routing by the
// MADT's I/O APICs and overrides (null: no I/O APIC, every install fails);
// or there is no local APIC, and it never will.
void api_ready(const kernel::acpi::Madt* madt);
void api_unavailable();

// Appends ` inside the handler of IRQ 0 "pit" (GSI 2, vector 0x30)` (or
// `of GSI n`) when a line's handler is the innermost running on this CPU,
// else ` inside the handler of "local APIC timer" (vector 0xe0)` when
// another interrupt's is; nothing when none is.
void describe_running_handler(kfmt::Buffer<256>& out);

}  // namespace arch::irq
