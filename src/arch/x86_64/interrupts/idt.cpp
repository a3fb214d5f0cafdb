// The IDT: 256 gates, the 32 exception vectors wired to entry.S's stubs.
// Vectors without a gate raise #GP (error code: IDT vector N), which the
// exception report decodes.
#include "arch/x86_64/bits.h"
#include "arch/x86_64/cpu.hpp"
#include "arch/x86_64/interrupts/cpu_tables.hpp"

// entry.S: the address of exception_stub_<n> for each vector n < 32.
extern "C" const u64 exception_stub_table[EXC_COUNT];

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

void set_interrupt_gate(u8 vector, void (*entry)(), u8 ist) {
    set_gate(vector, reinterpret_cast<u64>(entry), ist, IDT_GATE_INTERRUPT);
}

void init_idt() {
    for (u8 vector = 0; vector < EXC_COUNT; ++vector)
        set_gate(vector, exception_stub_table[vector], ist_for(vector), IDT_GATE_INTERRUPT);
    const DescriptorTablePointer pointer{sizeof(g_idt) - 1, reinterpret_cast<u64>(g_idt)};
    asm volatile("lidt %0" : : "m"(pointer) : "memory");
}

}  // namespace arch
