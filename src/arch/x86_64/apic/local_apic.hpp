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

// ---- other CPUs (docs/smp.md) ----
// An AP's local APIC, in the boot CPU's mode, software-enabled with the
// same spurious vector. Runs on the AP, after init() ran on the boot CPU.
void init_this_cpu();
// The local APIC ID of the CPU this runs on (id() is the boot CPU's).
[[nodiscard]] u32 current_id();
// ICR delivery modes (SDM Vol. 3A, figure 11-12, bits 10:8).
enum class Delivery : u32 { Fixed = 0, Nmi = 4, Init = 5, Startup = 6 };
// An IPI to `apic_id`; in xAPIC mode waits until the APIC has sent it, at
// most kIpiSendTimeoutUs: false when the delivery status still said "send
// pending" then. The callers say it in words: the AP start fails with
// "this CPU's local APIC did not finish sending the INIT or startup IPI
// within 100 ms", a TLB shootdown panics naming the CPU, and the NMIs of a
// panic and of the watchdog go unanswered, which their own bounds report.
[[nodiscard]] bool send_ipi(u32 apic_id, Delivery mode, u8 vector);
// The bound on one IPI's delivery status. The SDM gives none (11.6.1: the
// bit only says whether the last IPI has gone); on a system-bus xAPIC it
// clears within microseconds, on a P6's serial APIC bus within tens. Linux
// waits 100 ms (1000 polls 100 us apart: apic_mem_wait_icr_idle_timeout,
// formerly native_safe_apic_wait_icr_idle) before it gives up. Reached only when the APIC is
// broken, so the same here.
inline constexpr u64 kIpiSendTimeoutUs = 100'000;
// The wait itself, on `send_pending` (the ICR's bit; a stand-in for the
// in-kernel test): true once it reads false, false after the bound
// (arch::Timeout: time in every clock case, docs/time.md "Bounded waits").
[[nodiscard]] bool wait_until_sent(bool (*send_pending)());

[[nodiscard]] u64 spurious_count();
[[nodiscard]] u64 error_count();

}  // namespace arch::lapic
