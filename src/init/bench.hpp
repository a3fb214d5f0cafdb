// bench=irq (bench/README.md, docs/interrupts.md): what an interrupt costs
// and how exactly the kernel sleeps, printed on the log for bench/irq.py:
//   bench: irq round trip, self-IPI to handler entry: min 2310 ns, median 2650 ns (101 runs)
//   bench: irq round trip, int instruction to handler entry (baseline): ...
//   bench: sleep_us(1000) against the HPET: median 1012 us, min 1003 us, error +12 us (+1.2%) ...
// Timings only: nothing here passes or fails on a number.
#pragma once

namespace init {

// Runs once the Interrupts phase is done (`interrupts_on`: it ran and left
// interrupts enabled); says in words what it cannot measure and why.
void run_irq_bench(bool interrupts_on);

}  // namespace init
