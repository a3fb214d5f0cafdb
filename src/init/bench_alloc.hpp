// bench=alloc (bench/README.md, docs/memory-allocators.md): what the
// allocators cost, in nanoseconds per operation (an allocation or a free),
// timed by the TSC, printed on the log for bench/alloc.py:
//   bench: alloc, frames (order 0), 1 CPU: 412 ns per operation (20000 pairs)
//   bench: alloc, frames (order 0), 4 CPUs at once: median 1630 ns, slowest 1702 ns per operation
//   (20000 pairs each) bench: alloc, heap (64 B), 1 CPU: ...
// Timings only: nothing here passes or fails on a number.
#pragma once

namespace init {

// Runs after the Smp phase, so that "every CPU" means every CPU online.
void run_alloc_bench();

}  // namespace init
