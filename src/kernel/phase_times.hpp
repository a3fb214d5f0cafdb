// Where the boot's time went: each init phase from its start to the start of
// the next one (or to `ready`), from TSC readings kernel_main takes as each
// phase begins. The `boot phases:` line (loglevel=debug) is how a change to
// `ready in` is explained, phase by phase, rather than guessed at.
#pragma once

#include "kernel/phases.hpp"
#include "lib/format/sink.hpp"
#include "lib/ktl/types.hpp"

namespace kernel {

struct PhaseStarts {
    // TSC reading at each phase's start; 0 for a phase that did not run.
    u64 start[static_cast<usize>(Phase::Count)] = {};
};

// Writes "trampoline 812 us, CPU tables 4 us, serial log 31 us, ..." to
// `out`: `trampoline` runs from `boot` (the trampoline's first reading) to
// the earliest phase, each phase until the next one to start, the last
// until `end`. Phases that did not run are left out; `hz` is the TSC rate
// (0 writes nothing). Readings out of order (an earlier phase stamped later)
// are ordered by time, so the durations always add up to end - boot.
void write_phase_times(kfmt::Sink& out, const PhaseStarts& starts, u64 boot, u64 end, u64 hz);

}  // namespace kernel
