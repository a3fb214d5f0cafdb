// The I/O APICs the MADT lists, each mapped uncached: every redirection
// entry masked at start, then programmed per GSI (routing.hpp encodes the
// entries). Register access goes through one select/window pair per I/O
// APIC, so each access holds that chip's lock with interrupts off; the
// storm detector masks from interrupt context, which is safe because no
// code holds the lock with interrupts on.
#pragma once

#include "arch/x86_64/apic/routing.hpp"
#include "kernel/acpi/madt.hpp"
#include "lib/ktl/types.hpp"

namespace arch::ioapic {

struct Summary {
    usize count;   // I/O APICs started
    usize failed;  // listed but unusable (not mappable, no inputs)
    u32 inputs;    // redirection entries over all of them
};
[[nodiscard]] Summary init(const kernel::acpi::Madt& madt);
[[nodiscard]] usize count();
// Whether an I/O APIC serves `gsi`.
[[nodiscard]] bool serves(u32 gsi);
// Writes the whole entry of `gsi` (the mask bit included).
void program(u32 gsi, const apic::Redirection& entry);
void set_masked(u32 gsi, bool masked);
[[nodiscard]] u64 read_entry(u32 gsi);

}  // namespace arch::ioapic
