// bench=console (docs/console.md, bench/console.py): how fast the
// framebuffer console scrolls, in full-width lines per second, printed on
// the log:
//   bench console: 412 lines/s (1024x768 framebuffer)
//   bench console: 103 lines/s, every cell redrawn (baseline)
//   bench console: 4.00x the baseline
// Both figures come from the same boot, so their ratio is what the
// console's shadow and scroll-by-moving save. Timings only: nothing here
// passes or fails on a number.
#pragma once

namespace init {

// Runs once the clock runs; says in words why it cannot measure (no
// framebuffer console, no clock).
void run_console_bench();

}  // namespace init
