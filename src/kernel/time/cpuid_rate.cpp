#include "kernel/time/cpuid_rate.hpp"

namespace kernel::time {

CpuidRate rate_from_cpuid(const CpuidFrequencyLeaves& l) {
    // The crystal times the ratio; crystal * numerator fits 64 bits (both
    // are 32-bit words).
    if (l.max_leaf >= 0x15 && l.eax_15 != 0 && l.ebx_15 != 0 && l.ecx_15 != 0)
        return {u64{l.ecx_15} * l.ebx_15 / l.eax_15, CpuidRate::From::Crystal};
    if (l.max_leaf >= 0x16 && (l.eax_16 & 0xFFFF) != 0)
        return {(l.eax_16 & 0xFFFF) * 1'000'000ULL, CpuidRate::From::BaseFrequency};
    return {0, CpuidRate::From::None};
}

}  // namespace kernel::time
