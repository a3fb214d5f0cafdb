// The arch side of kernel/irq/irq.hpp: the Interrupts phase's bring-up
// (arch/setup.hpp's init_interrupts), vectors without a handler, and which
// line's handler is running (for the crash report of a fault inside one).
#pragma once

#include "arch/x86_64/interrupts/frame.hpp"
#include "lib/format/format.hpp"

namespace arch::irq {

// A vector >= 32 that found no handler: counted, reported once per vector,
// acknowledged if the local APIC holds it in service. Never fatal.
void handle_unexpected_vector(const InterruptFrame& frame);

// Appends " inside the handler of IRQ 0 'pit' (GSI 2, vector 0x30)" (or
// "of GSI n") when a line's handler is running on this CPU; nothing else.
void describe_running_handler(kfmt::Buffer<256>& out);

}  // namespace arch::irq
