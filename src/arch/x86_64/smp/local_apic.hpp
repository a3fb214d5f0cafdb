// The little of the local APIC that starting and waking CPUs needs: its ID,
// software enable, the interrupt command register (INIT, SIPI, fixed IPIs)
// and EOI, in xAPIC mode (uncached MMIO) or, when the firmware left the BSP
// in x2APIC mode, through the x2APIC MSRs (SDM Vol. 3A, 11.4-11.6, 11.12).
// The interrupts work owns the full driver (timer, LVT, errors); this file
// is meant to fold into it.
#pragma once

#include "lib/ktl/types.hpp"

namespace arch::lapic {

// Maps the boot CPU's local APIC (IA32_APIC_BASE) and software-enables it.
// False, with the reason logged, when the CPU has none.
[[nodiscard]] bool init_boot_cpu();
// The same on an AP, in the BSP's mode, once init_boot_cpu() succeeded.
void init_this_cpu();
[[nodiscard]] bool ready();

[[nodiscard]] u32 id();
void eoi();

// ICR delivery modes (SDM Vol. 3A, figure 11-12, bits 10:8).
enum class Delivery : u32 { Fixed = 0, Nmi = 4, Init = 5, Startup = 6 };
// Sends an IPI to `apic_id` and waits (bounded) until the APIC has
// accepted it; false when the delivery-status bit never cleared.
[[nodiscard]] bool send_ipi(u32 apic_id, Delivery mode, u8 vector);

}  // namespace arch::lapic
