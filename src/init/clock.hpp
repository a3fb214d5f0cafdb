// The Clock phase's work (docs/time.md): the TSC's rate, measured against
// the best reference the machine has, in this order: the HPET (exact,
// stated period, fast to read), the ACPI PM timer (exact frequency, slower
// reads), PIT channel 2 (always there on a PC, but waited on edge by edge),
// and last what CPUID 15H/16H states (nothing measured). The rate starts
// the monotonic clock (kernel/time/clock.hpp). Logs the choice:
//   clock: TSC 2.893 GHz from the HPET (3 windows of 1 ms)
// or, without a usable rate, why boot times are not measured.
#pragma once

#include "kernel/acpi/platform.hpp"

namespace init {

// `platform`: what the ACPI phase read, nullptr without ACPI.
void calibrate_timestamp_counter(const kernel::acpi::Platform* platform);

}  // namespace init
