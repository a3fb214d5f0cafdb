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
    NotReady,     // the Interrupts phase has not run
    NoLocalApic,  // it ran, but the CPU has no usable local APIC: device interrupts are off
    NoSuchLine,   // no I/O APIC serves that GSI (or the ISA IRQ is > 15)
    NoVector,     // every allocatable vector is taken
    Busy,         // the line already has a handler (lines are not shared yet)
    BadHandle,    // remove/mask/unmask of a handle not installed
};
[[nodiscard]] ktl::string_view describe(IrqError error);

// An ISA IRQ (0-15). The MADT's interrupt source overrides decide its GSI,
// polarity and trigger; without an override, `trigger` and `polarity` (ISA's
// edge, active high unless the caller knows better: the ACPI SCI is level,
// active low) apply. The line is unmasked on return.
[[nodiscard]] Result<Handle, IrqError> install_isa(u8 irq, ktl::string_view name, Handler handler,
                                                   void* context, Trigger trigger = Trigger::Edge,
                                                   Polarity polarity = Polarity::ActiveHigh);
// A GSI with an explicit trigger and polarity (PCI INTx lines).
[[nodiscard]] Result<Handle, IrqError> install_gsi(u32 gsi, ktl::string_view name, Handler handler,
                                                   void* context, Trigger trigger,
                                                   Polarity polarity);
// A GSI delivered to the calling CPU as an NMI, not a vector (the
// hard-lockup watchdog's HPET timer): the line is listed under `name` and
// taken for good; nothing runs a handler for it (the NMI handler asks the
// device). Edge-triggered, as NMI delivery must be.
[[nodiscard]] Result<void, IrqError> install_nmi_gsi(u32 gsi, ktl::string_view name,
                                                     Polarity polarity);
Result<void, IrqError> remove(Handle handle);
Result<void, IrqError> mask(Handle handle);
Result<void, IrqError> unmask(Handle handle);

// ---- what the lines did: for the `irq` shell command and the tests ----

struct LineInfo {
    ktl::string_view name;
    u8 isa_irq = 0xFF;  // 0xFF: installed by GSI
    u32 gsi = 0;
    u8 vector = 0;
    Trigger trigger = Trigger::Edge;
    Polarity polarity = Polarity::ActiveHigh;
    u64 count = 0;         // interrupts delivered to the line so far
    bool masked = false;   // by mask(), or by the storm detector
    bool stormed = false;  // masked because it fired without end
};
// Lines live in numbered slots; line_info(slot) fills `out` and returns
// true when the slot holds a line.
[[nodiscard]] usize line_slots();
[[nodiscard]] bool line_info(usize slot, LineInfo& out);
[[nodiscard]] Result<LineInfo, IrqError> info(Handle handle);

struct Counters {
    u64 unexpected;     // vectors that arrived with no handler
    u64 apic_spurious;  // the local APIC's spurious vector
    u64 pic_spurious;   // the 8259s' spurious IRQ 7/15
    u64 apic_errors;    // the local APIC's error interrupt
    u64 storms;         // lines masked by the storm detector
};
[[nodiscard]] Counters counters();

// Sends the line's vector to this CPU as if the line had fired (a
// self-IPI): for tests that have no device to make it fire.
Result<void, IrqError> raise(Handle handle);

}  // namespace kernel::irq
