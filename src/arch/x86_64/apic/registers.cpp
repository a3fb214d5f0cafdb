#include "arch/x86_64/apic/registers.hpp"

namespace arch::apic {

ktl::optional<u32> x2apic_msr(u32 offset) {
    if (offset % 0x10 != 0 || offset > 0x3F0) return ktl::nullopt;
    const u32 index = offset / 0x10;
    // Table 11-6 lists which of the 64 slots exist in x2APIC mode.
    const bool exists = index == 0x02 || index == 0x03 || index == 0x08 || index == 0x0A ||
                        index == 0x0B || index == 0x0D || index == 0x0F ||
                        (index >= 0x10 && index <= 0x28) || index == 0x2F || index == 0x30 ||
                        (index >= 0x32 && index <= 0x39) || index == 0x3E || index == 0x3F;
    if (!exists) return ktl::nullopt;
    return 0x800 + index;
}

ktl::optional<u32> timer_divide_value(u32 divisor) {
    // Divide by 2^(n+1) is the 3-bit value n (bits 1:0 and bit 3), with
    // 0b111 meaning divide by 1.
    u32 n = 0;
    switch (divisor) {
        case 1:
            n = 7;
            break;
        case 2:
            n = 0;
            break;
        case 4:
            n = 1;
            break;
        case 8:
            n = 2;
            break;
        case 16:
            n = 3;
            break;
        case 32:
            n = 4;
            break;
        case 64:
            n = 5;
            break;
        case 128:
            n = 6;
            break;
        default:
            return ktl::nullopt;
    }
    return (n & 3) | ((n & 4) << 1);
}

}  // namespace arch::apic
