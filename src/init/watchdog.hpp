// Starting the hard-lockup watchdog (kernel/watchdog/watchdog.hpp) once
// the CPUs are up, and the one boot log line that says what it covers.
#pragma once

#include "lib/ktl/types.hpp"

namespace init {

// `seconds` from watchdog= (0: off). `interrupts`: the Interrupts phase ran
// (the ticks and the I/O APICs exist).
void start_watchdog(u32 seconds, bool interrupts);

}  // namespace init
