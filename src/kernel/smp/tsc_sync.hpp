// The TSC check across CPUs: the boot CPU and one other exchange counter
// readings through one shared cache line, in rounds, and tsc_skew.hpp turns
// them into the offset between the two counters (docs/smp.md, "The TSC
// across CPUs"). Run by the Smp phase for each CPU once all are online.
#pragma once

#include "kernel/smp/tsc_skew.hpp"

namespace kernel::smp {

inline constexpr u32 kTscRounds = 32;
// An offset up to this is noise (a microsecond of the counter's ticks):
// shorter than any cross-CPU exchange, so never visible as time going back.
inline constexpr u64 kTscSkewBoundNs = 1'000;
// A CPU that misses a round for this long is reported as not answering.
inline constexpr u64 kTscRoundTimeoutUs = 1'000'000;

// Measures CPU `index` (online, not the boot CPU) against the boot CPU, by
// a cross-CPU call that runs on the two of them only (smp::call_with).
// Called on the boot CPU. `measured` is false when the other CPU did not answer in time.
[[nodiscard]] TscSkew check_tsc(u32 index);

}  // namespace kernel::smp
