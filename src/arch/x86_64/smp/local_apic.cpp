#include "arch/x86_64/smp/local_apic.hpp"

#include "arch/arch.hpp"
#include "arch/x86_64/bits.h"
#include "arch/x86_64/cpu.hpp"
#include "arch/x86_64/interrupts/interrupt_table.hpp"
#include "kernel/log/log.hpp"

namespace arch::lapic {

namespace {

constexpr u32 kMsrApicBase = 0x1B;
constexpr u64 kApicBaseEnable = 1ULL << 11;
constexpr u64 kApicBaseX2 = 1ULL << 10;
constexpr u64 kApicBaseAddressMask = 0x000F'FFFF'FFFF'F000ULL;
constexpr u32 kCpuid1EdxApic = 1U << 9;

// Register offsets (SDM Vol. 3A, table 11-1); the x2APIC MSR is
// 0x800 + offset / 16 (table 11-6).
constexpr u32 kRegId = 0x20;
constexpr u32 kRegEoi = 0xB0;
constexpr u32 kRegSpurious = 0xF0;
constexpr u32 kRegIcrLow = 0x300;
constexpr u32 kRegIcrHigh = 0x310;
constexpr u32 kX2MsrBase = 0x800;

constexpr u32 kSpuriousEnable = 1U << 8;
constexpr u8 kSpuriousVector = 0xFF;
constexpr u32 kIcrDeliveryPending = 1U << 12;
constexpr u32 kIcrLevelAssert = 1U << 14;

volatile u32* g_mmio = nullptr;
bool g_x2apic = false;
bool g_ready = false;

u32 read(u32 reg) {
    if (g_x2apic) return static_cast<u32>(rdmsr(kX2MsrBase + reg / 16));
    return g_mmio[reg / 4];
}
void write(u32 reg, u32 value) {
    if (g_x2apic) {
        wrmsr(kX2MsrBase + reg / 16, value);
        return;
    }
    g_mmio[reg / 4] = value;
}

// A spurious interrupt needs no EOI (SDM Vol. 3A, 11.9); the interrupts
// work installs its own counting handler on the vector first if it is there.
void on_spurious([[maybe_unused]] InterruptFrame& frame, [[maybe_unused]] void* context) {}
constexpr InterruptHandler kSpurious{"local APIC spurious", on_spurious, nullptr};

void enable() {
    u64 base = rdmsr(kMsrApicBase);
    const u64 wanted = base | kApicBaseEnable | (g_x2apic ? kApicBaseX2 : 0);
    if (wanted != base) wrmsr(kMsrApicBase, wanted);
    write(kRegSpurious, kSpuriousEnable | kSpuriousVector);
}

}  // namespace

bool init_boot_cpu() {
    if ((cpuid(CPUID_LEAF_FEATURES).edx & kCpuid1EdxApic) == 0) {
        kernel::log::warn("smp: this CPU has no local APIC");
        return false;
    }
    const u64 base = rdmsr(kMsrApicBase);
    g_x2apic = (base & kApicBaseX2) != 0;
    if (!g_x2apic) {
        const PhysAddr phys{base & kApicBaseAddressMask};
        auto mapped = map_mmio(PhysRange::from_size(phys.value(), PAGE_SIZE), CacheType::Uncached);
        if (!mapped) {
            kernel::log::warn("smp: cannot map the local APIC at {:#x}: {}", phys.value(),
                              describe(mapped.error()));
            return false;
        }
        g_mmio = reinterpret_cast<volatile u32*>(*mapped);
    }
    // Busy: the interrupts work has its own handler there already.
    (void)interrupt_table().install(kSpuriousVector, kSpurious);
    enable();
    g_ready = true;
    return true;
}

void init_this_cpu() { enable(); }
bool ready() { return g_ready; }

u32 id() { return g_x2apic ? read(kRegId) : read(kRegId) >> 24; }
void eoi() { write(kRegEoi, 0); }

bool send_ipi(u32 apic_id, Delivery mode, u8 vector) {
    const u32 low =
        (static_cast<u32>(mode) << 8) | vector | (mode == Delivery::Init ? kIcrLevelAssert : 0);
    if (g_x2apic) {
        // One 64-bit write; no delivery status to wait for (SDM 11.12.9).
        wrmsr(kX2MsrBase + kRegIcrLow / 16, (u64{apic_id} << 32) | low);
        return true;
    }
    // The two ICR writes must not be split by an interrupt handler that
    // sends an IPI of its own.
    const bool was_enabled = interrupts_enabled();
    disable_interrupts();
    write(kRegIcrHigh, apic_id << 24);
    write(kRegIcrLow, low);
    bool accepted = false;
    for (u32 i = 0; i < 1'000'000 && !accepted; ++i) {
        accepted = (read(kRegIcrLow) & kIcrDeliveryPending) == 0;
        if (!accepted) pause();
    }
    if (was_enabled) enable_interrupts();
    return accepted;
}

}  // namespace arch::lapic
