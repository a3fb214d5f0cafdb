#include "arch/x86_64/apic/local_apic.hpp"

#include "arch/arch.hpp"
#include "arch/x86_64/apic/registers.hpp"
#include "arch/x86_64/bits.h"
#include "arch/x86_64/cpu.hpp"
#include "arch/x86_64/interrupts/interrupt_table.hpp"
#include "arch/x86_64/paging/kernel_space.hpp"
#include "kernel/log/log.hpp"

namespace arch::lapic {

namespace {

namespace reg = apic::reg;

// Written once by init() on the boot CPU, read-only afterwards.
volatile u32* g_mmio = nullptr;
bool g_x2apic = false;
bool g_ready = false;
u32 g_id = 0;
u64 g_spurious = 0;
u64 g_errors = 0;

void handle_spurious(InterruptFrame& /*frame*/, void* /*context*/) {
    // Not in service, so no EOI (SDM Vol. 3A, 11.9): an EOI here would end
    // whatever real interrupt is in service instead.
    __atomic_fetch_add(&g_spurious, 1, __ATOMIC_RELAXED);
}

void handle_error(InterruptFrame& /*frame*/, void* /*context*/) {
    // The ESR latches on a write (SDM Vol. 3A, 11.5.3): write, then read;
    // the second write clears it.
    write(reg::kErrorStatus, 0);
    const u32 status = read(reg::kErrorStatus);
    write(reg::kErrorStatus, 0);
    __atomic_fetch_add(&g_errors, 1, __ATOMIC_RELAXED);
    kernel::log::warn("lapic: APIC error, ESR {:#x}", status);
    eoi();
}

const InterruptHandler kSpuriousHandler{"APIC spurious", handle_spurious, nullptr};
const InterruptHandler kErrorHandler{"APIC error", handle_error, nullptr};

// The LINT pin the MADT wires to NMI on this CPU, or -1.
int nmi_lint(const kernel::acpi::Madt* madt, u32 uid) {
    if (madt == nullptr) return -1;
    for (usize i = 0; i < madt->local_nmi_count; ++i) {
        const kernel::acpi::LocalNmi& n = madt->local_nmis[i];
        if ((n.all_cpus || n.uid == uid) && n.lint <= 1) return n.lint;
    }
    return -1;
}

u32 uid_of(const kernel::acpi::Madt* madt, u32 apic_id) {
    if (madt == nullptr) return 0;
    for (usize i = 0; i < madt->cpu_count; ++i)
        if (madt->cpus[i].apic_id == apic_id) return madt->cpus[i].uid;
    return 0;
}

}  // namespace

u32 read(u32 offset) {
    if (g_x2apic) {
        const ktl::optional<u32> msr = apic::x2apic_msr(offset);
        return msr ? static_cast<u32>(rdmsr(*msr)) : 0;
    }
    return g_mmio[offset / 4];
}

void write(u32 offset, u32 value) {
    if (g_x2apic) {
        if (const ktl::optional<u32> msr = apic::x2apic_msr(offset)) wrmsr(*msr, value);
        return;
    }
    g_mmio[offset / 4] = value;
}

void eoi() { write(reg::kEoi, 0); }

bool in_service(u8 vector) {
    if (!g_ready) return false;
    const apic::VectorBit bit = apic::vector_bit(vector);
    return (read(reg::kInService + bit.offset) & bit.mask) != 0;
}

void send_self_ipi(u8 vector) {
    const u32 low = vector | APIC_ICR_ASSERT | APIC_ICR_SELF;
    if (g_x2apic) {
        fence_before_weak_wrmsr();
        wrmsr(*apic::x2apic_msr(reg::kIcrLow), apic::x2apic_command(low, 0));
        return;
    }
    const apic::XapicCommand command = apic::xapic_command(low, 0);
    write(reg::kIcrHigh, command.high);
    write(reg::kIcrLow, command.low);
}

Info init(const kernel::acpi::Madt* madt) {
    Info info{};
    if ((cpuid(CPUID_LEAF_FEATURES).edx & CPUID_1_EDX_APIC) == 0) {
        info.error = "the CPU has no local APIC (CPUID.01H:EDX.APIC = 0)";
        return info;
    }
    info.present = true;
    u64 base_msr = rdmsr(MSR_APIC_BASE);
    info.base = base_msr & APIC_BASE_ADDRESS_MASK;
    const bool cpu_has_x2apic = (cpuid(CPUID_LEAF_FEATURES).ecx & CPUID_1_ECX_X2APIC) != 0;
    const bool firmware_x2apic = (base_msr & APIC_BASE_EXTD) != 0;
    // EN before EXTD: the SDM forbids the direct step from disabled to x2APIC.
    if ((base_msr & APIC_BASE_ENABLE) == 0) {
        base_msr |= APIC_BASE_ENABLE;
        wrmsr(MSR_APIC_BASE, base_msr);
    }
    if (cpu_has_x2apic || firmware_x2apic) {
        if (!firmware_x2apic) wrmsr(MSR_APIC_BASE, base_msr | APIC_BASE_EXTD);
        g_x2apic = true;
    } else {
        const Result<u8*, VmError> mapped = paging::map_unchecked(
            PhysRange::from_size(PhysAddr{info.base}, 0x1000), CacheType::Uncached);
        if (!mapped) {
            info.error = "its registers cannot be mapped";
            return info;
        }
        g_mmio = reinterpret_cast<volatile u32*>(*mapped);
    }
    info.x2apic = g_x2apic;
    g_id = apic::id_from_register(read(reg::kId), g_x2apic);
    info.id = g_id;
    if (madt != nullptr && madt->local_apic_address != info.base && !g_x2apic)
        kernel::log::warn("lapic: the MADT says {:#x}, IA32_APIC_BASE says {:#x}: using the MSR",
                          madt->local_apic_address, info.base);

    if (!interrupt_table().install(APIC_SPURIOUS_VECTOR, kSpuriousHandler)) {
        info.error = "the spurious vector is taken";
        return info;
    }
    const Result<u8, VectorError> error_vector =
        interrupt_table().allocate(kErrorHandler, 0xF8, 0xFE);
    if (!error_vector) {
        info.error = "no vector is free for APIC errors";
        return info;
    }

    // The flat model (xAPIC only; x2APIC has no DFR), nothing blocked by
    // priority, local interrupt pins masked but an NMI pin.
    if (!g_x2apic) write(reg::kDestinationFormat, 0xFFFFFFFF);
    write(reg::kTaskPriority, 0);
    const int nmi = nmi_lint(madt, uid_of(madt, g_id));
    write(reg::kLvtLint0, nmi == 0 ? APIC_LVT_DELIVERY_NMI : APIC_LVT_MASKED);
    write(reg::kLvtLint1, nmi == 1 ? APIC_LVT_DELIVERY_NMI : APIC_LVT_MASKED);
    write(reg::kLvtTimer, APIC_LVT_MASKED);
    write(reg::kLvtError, *error_vector);
    write(reg::kErrorStatus, 0);
    write(reg::kErrorStatus, 0);
    write(reg::kSpurious, APIC_SVR_ENABLE | APIC_SPURIOUS_VECTOR);
    eoi();  // anything the firmware left in service
    g_ready = true;
    return info;
}

void init_this_cpu() {
    const u64 base = rdmsr(MSR_APIC_BASE);
    // EN before EXTD, as on the boot CPU.
    if ((base & APIC_BASE_ENABLE) == 0) wrmsr(MSR_APIC_BASE, base | APIC_BASE_ENABLE);
    if (g_x2apic && (base & APIC_BASE_EXTD) == 0)
        wrmsr(MSR_APIC_BASE, base | APIC_BASE_ENABLE | APIC_BASE_EXTD);
    write(reg::kSpurious, APIC_SVR_ENABLE | APIC_SPURIOUS_VECTOR);
}

u32 current_id() { return apic::id_from_register(read(reg::kId), g_x2apic); }

namespace {

// ICR bit 12, "Send Pending" (SDM Vol. 3A, 11.6.1): the local APIC has not
// finished sending the last IPI.
constexpr u32 kDeliveryPending = 1U << 12;
bool icr_send_pending() { return (read(reg::kIcrLow) & kDeliveryPending) != 0; }

}  // namespace

bool wait_until_sent(bool (*send_pending)()) {
    Timeout timeout(kIpiSendTimeoutUs);
    while (send_pending()) {
        if (timeout.expired()) return false;
        pause();
    }
    return true;
}

bool send_ipi(u32 apic_id, Delivery mode, u8 vector) {
    const u32 low =
        (static_cast<u32>(mode) << 8) | vector | (mode == Delivery::Init ? APIC_ICR_ASSERT : 0);
    if (g_x2apic) {
        // One 64-bit write; x2APIC has no delivery status (SDM 11.12.9).
        // The target must see what this CPU stored before the IPI (a call
        // in its mailbox, a TLB shootdown's range).
        fence_before_weak_wrmsr();
        wrmsr(*apic::x2apic_msr(reg::kIcrLow), apic::x2apic_command(low, apic_id));
        return true;
    }
    // The two ICR writes must not be split by a handler sending its own.
    const bool was_enabled = interrupts_enabled();
    disable_interrupts();
    const apic::XapicCommand command = apic::xapic_command(low, apic_id);
    write(reg::kIcrHigh, command.high);
    write(reg::kIcrLow, command.low);
    const bool sent = wait_until_sent(icr_send_pending);
    if (was_enabled) enable_interrupts();
    return sent;
}

bool ready() { return g_ready; }
bool x2apic() { return g_x2apic; }
u32 id() { return g_id; }
u64 spurious_count() { return __atomic_load_n(&g_spurious, __ATOMIC_RELAXED); }
u64 error_count() { return __atomic_load_n(&g_errors, __ATOMIC_RELAXED); }

}  // namespace arch::lapic

bool arch::interrupt_on_exception_vector_for_crash_test() {
    if (!lapic::ready()) return false;
    lapic::send_self_ipi(EXC_ALIGNMENT_CHECK);
    return true;
}
