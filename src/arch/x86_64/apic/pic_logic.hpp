// What the 8259 pair's interrupt on one line means, hardware-independent
// (host-tested in tests/host/apic_test.cpp). Keel masks every PIC line, but
// a PIC still raises IRQ 7 (master) or IRQ 15 (slave) when a request goes
// away before the CPU acknowledges it: a spurious interrupt, recognised by
// the line's in-service bit being clear (8259A datasheet, "Interrupt
// Sequence"; ../shared/notes/platform-facts.md 3.1).
#pragma once

#include "lib/ktl/types.hpp"

namespace arch::pic {

enum class Verdict : u8 {
    Real,            // in service: EOI the slave (IRQ 8-15) and the master
    SpuriousMaster,  // IRQ 7 not in service: no EOI at all
    SpuriousSlave,   // IRQ 15 not in service: EOI the master only (its
                     // cascade input 2 did go in service)
};

// `irq` 0-15; `chip_isr` the in-service register of the chip that owns it.
[[nodiscard]] constexpr Verdict classify(u8 irq, u8 chip_isr) {
    const bool in_service = (chip_isr & (1U << (irq % 8))) != 0;
    if (irq == 7 && !in_service) return Verdict::SpuriousMaster;
    if (irq == 15 && !in_service) return Verdict::SpuriousSlave;
    return Verdict::Real;
}

}  // namespace arch::pic
