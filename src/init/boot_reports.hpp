// The lines boot ends with, once every phase has run (docs/boot.md): what
// boot left on the heap, where the time went, and `ready in`.
#pragma once

#include "kernel/phase_times.hpp"

namespace init {

// The heap's statistics line: what boot left allocated (info), and each
// class with slabs at debug level.
void report_heap();

// `boot phases: trampoline 310 us, CPU tables 6 us, ...` at debug level:
// where `ready in` went. `starts`: when each phase started, in TSC ticks.
void report_phase_times(const kernel::PhaseStarts& starts);

// `ready in N us` from the first instruction, or why the boot time is
// unknown (no TSC, or no rate for it).
void report_ready();

}  // namespace init
