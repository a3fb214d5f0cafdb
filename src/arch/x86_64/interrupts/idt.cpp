// The IDT: 256 interrupt gates, each to its vector's stub in entry.S; the
// handler table (interrupt_table.hpp), not the IDT, says what runs.
#include "arch/x86_64/bits.h"
#include "arch/x86_64/cpu.hpp"
#include "arch/x86_64/interrupts/cpu_tables.hpp"

// entry.S: vector n's stub is at interrupt_stubs + n * INTERRUPT_STUB_SIZE.
extern "C" const u8 interrupt_stubs[];

namespace arch {

namespace {

// SDM Vol. 3A, 6.14.1, figure 6-8: a 64-bit interrupt/trap gate.
struct IdtGate {
    u16 offset_low;
    u16 selector;
    u8 ist;         // bits 2:0; 0 = no stack switch
    u8 attributes;  // P, DPL, type
    u16 offset_mid;
    u32 offset_high;
    u32 reserved;
};
static_assert(sizeof(IdtGate) == 16);

alignas(16) IdtGate g_idt[IDT_ENTRIES];

void set_gate(u8 vector, u64 entry, u8 ist, u8 type) {
    g_idt[vector] = {
        .offset_low = static_cast<u16>(entry),
        .selector = GDT_KERNEL_CODE,
        .ist = static_cast<u8>(ist & 7),
        .attributes = static_cast<u8>(IDT_GATE_PRESENT | type),
        .offset_mid = static_cast<u16>(entry >> 16),
        .offset_high = static_cast<u32>(entry >> 32),
        .reserved = 0,
    };
}

u8 ist_for(u8 vector) {
    switch (vector) {
        case EXC_DOUBLE_FAULT:
            return IST_DOUBLE_FAULT;  // the kernel stack may be what failed
        case EXC_NMI:
            return IST_NMI;  // may arrive anywhere, e.g. mid-switch
        case EXC_MACHINE_CHECK:
            return IST_MACHINE_CHECK;
        default:
            return 0;
    }
}

}  // namespace

void init_idt() {
    const u64 stubs = reinterpret_cast<u64>(interrupt_stubs);
    for (usize vector = 0; vector < IDT_ENTRIES; ++vector) {
        const u8 v = static_cast<u8>(vector);
        set_gate(v, stubs + vector * INTERRUPT_STUB_SIZE, ist_for(v), IDT_GATE_INTERRUPT);
    }
    load_idt();
}

void load_idt() {
    const DescriptorTablePointer pointer{sizeof(g_idt) - 1, reinterpret_cast<u64>(g_idt)};
    asm volatile("lidt %0" : : "m"(pointer) : "memory");
}

}  // namespace arch
