// CPUID leaf 1's processor signature (EAX) as software should read it: the
// extended family adds to the base family only when that is 0xF, and the
// extended model counts for families 6 and 0xF and up (SDM Vol. 2A, CPUID,
// figure 3-6 "Version Information Returned by CPUID in EAX"). Portable:
// host-tested (tests/host/cpu_signature_test.cpp).
#pragma once

#include "lib/ktl/string_view.hpp"
#include "lib/ktl/types.hpp"

namespace arch {

struct CpuSignature {
    u32 family;
    u32 model;
    u32 stepping;
};

// CPUID leaf 0's vendor string: EBX, EDX, ECX, four bytes each, low first
// ("GenuineIntel", "AuthenticAMD", "TCGTCGTCGTCG" in a hypervisor leaf).
struct CpuVendor {
    char text[12]{};
    [[nodiscard]] constexpr ktl::string_view view() const { return {text, sizeof text}; }
};

[[nodiscard]] constexpr CpuVendor decode_vendor(u32 ebx, u32 edx, u32 ecx) {
    CpuVendor v;
    const u32 regs[] = {ebx, edx, ecx};
    for (usize i = 0; i < 3; ++i)
        for (usize b = 0; b < 4; ++b) v.text[i * 4 + b] = static_cast<char>(regs[i] >> (8 * b));
    return v;
}

[[nodiscard]] constexpr CpuSignature decode_signature(u32 eax) {
    u32 family = (eax >> 8) & 0xF;
    u32 model = (eax >> 4) & 0xF;
    if (family == 0xF) family += (eax >> 20) & 0xFF;
    if (family == 0x6 || family >= 0xF) model |= ((eax >> 16) & 0xF) << 4;
    return {family, model, eax & 0xF};
}

// Whether the MP start protocol's 10 ms between an AP's INIT and its first
// SIPI (SDM Vol. 3A, 9.4.4.1, the example start-up sequence) is needed.
// Processors since the P6 and the K8 take the SIPI at once: Linux leaves
// the wait out for Intel family 6, AMD family 0xF and up and Hygon 0x18
// and up (arch/x86/kernel/smpboot.c, smp_quirk_init_udelay); others keep
// it. Under QEMU's TCG (qemu64: AMD, family 0xF) each wait was 10 ms of
// the boot CPU's time per AP, 2.5 s for 255 CPUs.
[[nodiscard]] constexpr bool needs_init_wait(ktl::string_view vendor, u32 family) {
    if (vendor == "GenuineIntel") return family != 6;
    if (vendor == "AuthenticAMD") return family < 0xF;
    if (vendor == "HygonGenuine") return family < 0x18;
    return true;
}

}  // namespace arch
