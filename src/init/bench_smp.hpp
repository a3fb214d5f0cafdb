// bench=smp (bench/README.md, docs/smp.md): what the other CPUs cost to
// talk to, timed by the TSC and printed on the log for bench/smp.py:
//   bench: smp call round trip to CPU 1: min 2100 ns, median 2500 ns (1000 calls)
//   bench: smp call to all 4 CPUs: min ..., median ... (200 calls)
//   bench: smp spinlock, 1 CPU: 25000000 lock-unlock pairs/s (median of 3 runs)
//   bench: smp spinlock, 2 CPUs: ..., 4 CPUs: ...
// The one-CPU spinlock figure is the baseline measured in the same boot:
// each figure for more CPUs also prints its ratio to it. Timings only:
// nothing passes or fails on a number.
#pragma once

namespace init {

// Runs after the Smp phase, so that "all CPUs" means every CPU online.
void run_smp_bench();

}  // namespace init
