#include "arch/x86_64/apic/timer_math.hpp"

namespace arch::apic {

u64 median_rate(ktl::span<const u64> rates) {
    u64 sorted[8];
    usize n = 0;
    for (const u64 rate : rates) {
        if (n == 8) break;
        usize i = n++;
        for (; i > 0 && sorted[i - 1] > rate; --i) sorted[i] = sorted[i - 1];
        sorted[i] = rate;
    }
    return n == 0 ? 0 : sorted[(n - 1) / 2];
}

Spread spread_of(ktl::span<const u16> values) {
    u16 sorted[128];
    usize n = 0;
    for (const u16 value : values) {
        if (n == 128) break;
        usize i = n++;
        for (; i > 0 && sorted[i - 1] > value; --i) sorted[i] = sorted[i - 1];
        sorted[i] = value;
    }
    if (n == 0) return {};
    return {sorted[0], sorted[(n - 1) / 2]};
}

}  // namespace arch::apic
