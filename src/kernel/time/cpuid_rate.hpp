// The TSC's rate as the CPU states it (Intel SDM Vol. 2A, CPUID leaf 15H
// "Time Stamp Counter and Nominal Core Crystal Clock Information Leaf" and
// leaf 16H "Processor Frequency Information Leaf"). QEMU's TCG CPUs lack
// both leaves, so the arithmetic is kept here, hardware-independent, and
// host-tested; src/arch/x86_64/tsc.cpp executes CPUID and passes the words.
#pragma once

#include "lib/ktl/types.hpp"

namespace kernel::time {

struct CpuidFrequencyLeaves {
    u32 max_leaf;  // CPUID.00H:EAX
    // Leaf 15H (valid when max_leaf >= 0x15): TSC/crystal = ebx/eax, ecx
    // the crystal's Hz (0: not enumerated).
    u32 eax_15;
    u32 ebx_15;
    u32 ecx_15;
    // Leaf 16H (valid when max_leaf >= 0x16): EAX[15:0] the base frequency
    // in MHz, which the TSC runs at on CPUs with an invariant TSC.
    u32 eax_16;
};

struct CpuidRate {
    u64 hz;  // 0: the CPU does not say
    enum class From : u8 { None, Crystal, BaseFrequency } from;
};

[[nodiscard]] CpuidRate rate_from_cpuid(const CpuidFrequencyLeaves& leaves);

}  // namespace kernel::time
