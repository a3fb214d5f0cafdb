// The boot CPU's local APIC: in x2APIC mode through MSRs when the CPU has
// x2APIC (or the firmware handed over in it), else in xAPIC mode through an
// uncached mapping of its registers. Software-enabled through the SVR with
// the spurious vector APIC_SPURIOUS_VECTOR (never acknowledged: a spurious
// interrupt is not in service), an error vector that reads, clears and logs
// the ESR, LINT0/LINT1 masked (LINT1 an NMI where the MADT says so).
#pragma once

#include "kernel/acpi/madt.hpp"
#include "lib/ktl/types.hpp"

namespace arch::lapic {

struct Info {
    bool present;  // false: the CPU has no APIC (CPUID.01H:EDX.APIC)
    bool x2apic;
    u64 base;           // the xAPIC MMIO base (also recorded in x2APIC mode)
    u32 id;             // this CPU's APIC ID
    const char* error;  // why it could not be started, or null
};

// Starts the local APIC of the boot CPU. `madt` may be null.
[[nodiscard]] Info init(const kernel::acpi::Madt* madt);
[[nodiscard]] bool ready();
[[nodiscard]] bool x2apic();
[[nodiscard]] u32 id();

[[nodiscard]] u32 read(u32 offset);
void write(u32 offset, u32 value);
// End of interrupt for the interrupt in service.
void eoi();
// Whether `vector` is in service (ISR bit set): an interrupt delivered by
// the local APIC, that needs an EOI.
[[nodiscard]] bool in_service(u8 vector);
// A fixed interrupt on `vector` to this CPU (the self-IPI shorthand).
void send_self_ipi(u8 vector);

[[nodiscard]] u64 spurious_count();
[[nodiscard]] u64 error_count();

}  // namespace arch::lapic
