#include "kernel/bench/samples.hpp"

namespace kernel::bench {

Spread spread(ktl::span<u64> samples) {
    const usize n = samples.size();
    if (n == 0) return {};
    // Insertion sort: a benchmark's few hundred samples, no allocation.
    for (usize i = 1; i < n; ++i) {
        const u64 value = samples[i];
        usize j = i;
        for (; j > 0 && samples[j - 1] > value; --j) samples[j] = samples[j - 1];
        samples[j] = value;
    }
    return {samples[0], samples[(n - 1) / 2]};
}

Error error_of(u64 measured, u64 asked) {
    const i64 difference = static_cast<i64>(measured) - static_cast<i64>(asked);
    if (asked == 0) return {difference, 0};
    return {difference, difference * 1000 / static_cast<i64>(asked)};
}

u64 ratio_hundredths(u64 a, u64 b) { return b == 0 ? 0 : (a * 100 + b / 2) / b; }

}  // namespace kernel::bench
