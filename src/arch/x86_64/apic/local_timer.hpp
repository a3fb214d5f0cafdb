// The boot CPU's local APIC timer: calibrated against the TSC, then the
// kernel's periodic tick (kernel/time/tick.hpp), re-armed each period for
// an absolute TSC deadline: in TSC-deadline mode where the CPU has it,
// else as a one-shot count (timer_math.hpp).
#pragma once

#include "lib/ktl/types.hpp"

namespace arch::local_timer {

struct Started {
    const char* error;  // why no tick runs, or null
    u64 timer_hz;       // the timer's count rate (one-shot mode)
    bool tsc_deadline;
    u8 vector;
};
// Needs the local APIC up and the TSC rate known.
[[nodiscard]] Started start(u32 tick_hz);

}  // namespace arch::local_timer
