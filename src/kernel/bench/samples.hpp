// What the in-kernel benchmarks (bench=irq, bench/README.md) report about a
// set of timings: the minimum (the cost with nothing in the way) and the
// median (the typical cost, robust against the few runs an emulator's busy
// host stretched), and a measured duration's error against the one asked
// for. Hardware-independent, host-tested in tests/host/bench_samples_test.cpp.
#pragma once

#include "lib/ktl/span.hpp"
#include "lib/ktl/types.hpp"

namespace kernel::bench {

struct Spread {
    u64 min = 0;
    u64 median = 0;  // of an even count, the lower of the middle two
};

// Sorts `samples` in place (so the caller may look at them in order) and
// returns their spread; {0, 0} for no samples.
[[nodiscard]] Spread spread(ktl::span<u64> samples);

// How far `measured` is from `asked`: the signed difference and the same in
// tenths of a percent of `asked` (rounded toward zero; 0 when `asked` is 0).
struct Error {
    i64 difference = 0;
    i64 permille = 0;
};
[[nodiscard]] Error error_of(u64 measured, u64 asked);

// `a` / `b` in hundredths (1.85 is 185), for ratios against a baseline; 0
// when `b` is 0.
[[nodiscard]] u64 ratio_hundredths(u64 a, u64 b);

}  // namespace kernel::bench
