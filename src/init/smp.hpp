// The SMP phase's glue: every CPU the MADT lists as enabled started, one
// at a time, and the boot log line saying which came online.
#pragma once

#include "kernel/acpi/platform.hpp"

namespace init {

// Starts the application processors of `platform` (null: no ACPI, so
// the boot CPU alone). A CPU that does not start is named and skipped.
void start_other_cpus(const kernel::acpi::Platform* platform);

}  // namespace init
