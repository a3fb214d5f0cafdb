// Which hypervisor runs the kernel, from CPUID (the convention every
// hypervisor follows: CPUID.01H:ECX bit 31, then leaf 0x40000000's
// 12-byte signature in EBX, ECX, EDX).
#include "arch/arch.hpp"
#include "arch/x86_64/bits.h"
#include "arch/x86_64/cpu.hpp"

arch::HypervisorName arch::hypervisor() {
    HypervisorName name{};
    if ((cpuid(CPUID_LEAF_FEATURES).ecx & CPUID_1_ECX_HYPERVISOR) == 0) return name;
    const CpuidResult r = cpuid(CPUID_LEAF_HYPERVISOR);
    __builtin_memcpy(name.text, &r.ebx, 4);
    __builtin_memcpy(name.text + 4, &r.ecx, 4);
    __builtin_memcpy(name.text + 8, &r.edx, 4);
    u8 length = sizeof name.text;
    while (length > 0 && name.text[length - 1] == '\0') --length;
    for (u8 i = 0; i < length; ++i) {
        if (name.text[i] < 0x20 || name.text[i] > 0x7E) return {};  // not a name
    }
    name.length = length;
    return name;
}
