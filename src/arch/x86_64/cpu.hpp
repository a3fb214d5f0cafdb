// Single CPU instructions as inline functions: the only place the kernel
// writes inline assembly for control registers, MSRs and CPUID.
#pragma once

#include "arch/arch.hpp"  // interrupts, pause, halt
#include "lib/ktl/types.hpp"

namespace arch {

// The operand of lgdt/lidt and sgdt/sidt: a table's limit (size - 1) and
// linear base address (SDM Vol. 3A, 3.5.1, figure 3-11).
struct [[gnu::packed]] DescriptorTablePointer {
    u16 limit;
    u64 base;
};
static_assert(sizeof(DescriptorTablePointer) == 10);

struct CpuidResult {
    u32 eax, ebx, ecx, edx;
};

inline CpuidResult cpuid(u32 leaf, u32 subleaf = 0) {
    CpuidResult r{};
    asm volatile("cpuid"
                 : "=a"(r.eax), "=b"(r.ebx), "=c"(r.ecx), "=d"(r.edx)
                 : "a"(leaf), "c"(subleaf));
    return r;
}

inline u64 rdtsc() {
    u32 lo = 0;
    u32 hi = 0;
    asm volatile("rdtsc" : "=a"(lo), "=d"(hi));
    return (static_cast<u64>(hi) << 32) | lo;
}

inline u64 rdmsr(u32 msr) {
    u32 lo = 0;
    u32 hi = 0;
    asm volatile("rdmsr" : "=a"(lo), "=d"(hi) : "c"(msr));
    return (static_cast<u64>(hi) << 32) | lo;
}
inline void wrmsr(u32 msr, u64 value) {
    asm volatile("wrmsr"
                 :
                 : "c"(msr), "a"(static_cast<u32>(value)), "d"(static_cast<u32>(value >> 32)));
}

// WRMSR normally serialises, but not to the x2APIC registers or to
// IA32_TSC_DEADLINE (SDM Vol. 3A 11.12.3 "MSR Access in x2APIC Mode",
// 11.5.4.1 "TSC-Deadline Mode"): such a write may take effect before earlier
// stores are visible, e.g. an IPI may reach its target before the data it
// announces, or a deadline may be written before the MMIO write to the LVT
// that selects TSC-deadline mode, and be ignored. MFENCE drains earlier
// stores; LFENCE keeps the WRMSR from starting before MFENCE has (the SDM's
// current advice; Linux's weak_wrmsr_fence). Call it right before such a
// WRMSR. QEMU's TCG has neither x2APIC nor TSC-deadline: only real
// hardware and KVM exercise these paths.
inline void fence_before_weak_wrmsr() { asm volatile("mfence; lfence" ::: "memory"); }

#define KEEL_CONTROL_REGISTER(n)                      \
    inline u64 read_cr##n() {                         \
        u64 v;                                        \
        asm volatile("mov %%cr" #n ", %0" : "=r"(v)); \
        return v;                                     \
    }                                                 \
    inline void write_cr##n(u64 v) { asm volatile("mov %0, %%cr" #n : : "r"(v) : "memory"); }
KEEL_CONTROL_REGISTER(0)
KEEL_CONTROL_REGISTER(2)
KEEL_CONTROL_REGISTER(3)
KEEL_CONTROL_REGISTER(4)
#undef KEEL_CONTROL_REGISTER

inline u64 read_rflags() {
    u64 v = 0;
    asm volatile("pushfq; popq %0" : "=r"(v));
    return v;
}

}  // namespace arch
