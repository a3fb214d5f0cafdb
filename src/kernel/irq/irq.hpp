// The interrupt API drivers use: a named handler for an ISA IRQ or a global
// system interrupt (GSI), removed, masked and unmasked by its handle. The
// vectors are allocated by the implementation (the I/O APIC router under
// src/arch/x86_64/), never chosen by a driver; docs/interrupts.md has the
// discipline a handler follows (what it may do, which locks it may take).
#pragma once

#include "lib/ktl/string_view.hpp"
#include "lib/ktl/types.hpp"
#include "lib/result.hpp"

namespace kernel::irq {

enum class Trigger : u8 { Edge, Level };
enum class Polarity : u8 { ActiveHigh, ActiveLow };

// Runs with interrupts off on the CPU that took the interrupt; the end of
// interrupt is sent after it returns.
using Handler = void (*)(void* context);

struct Handle {
    u16 id = 0xFFFF;
    [[nodiscard]] bool valid() const { return id != 0xFFFF; }
};

enum class IrqError : u8 {
    NotReady,    // the Interrupts phase has not run
    NoSuchLine,  // no I/O APIC serves that GSI (or the ISA IRQ is > 15)
    NoVector,    // every allocatable vector is taken
    Busy,        // the line already has a handler (lines are not shared yet)
    BadHandle,   // remove/mask/unmask of a handle not installed
};
[[nodiscard]] ktl::string_view describe(IrqError error);

// An ISA IRQ (0-15). The MADT's interrupt source overrides decide its GSI,
// polarity and trigger; without an override, `trigger` and `polarity` (ISA's
// edge, active high unless the caller knows better: the ACPI SCI is level,
// active low) apply. The line is unmasked on return.
[[nodiscard]] Result<Handle, IrqError> install_isa(u8 irq, ktl::string_view name,
                                                   Handler handler, void* context,
                                                   Trigger trigger = Trigger::Edge,
                                                   Polarity polarity = Polarity::ActiveHigh);
// A GSI with an explicit trigger and polarity (PCI INTx lines).
[[nodiscard]] Result<Handle, IrqError> install_gsi(u32 gsi, ktl::string_view name,
                                                   Handler handler, void* context,
                                                   Trigger trigger, Polarity polarity);
Result<void, IrqError> remove(Handle handle);
Result<void, IrqError> mask(Handle handle);
Result<void, IrqError> unmask(Handle handle);

}  // namespace kernel::irq
