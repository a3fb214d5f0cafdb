// The SMP phase's glue: every CPU the MADT lists as enabled started, one
// at a time, and the boot log line saying which came online.
#pragma once

#include "kernel/acpi/platform.hpp"
#include "kernel/options/kernel_options.hpp"

namespace init {

// Starts the application processors of `platform` (null: no ACPI, so
// the boot CPU alone). A CPU that does not start is named and skipped; one
// that reached the kernel but did not finish its setup ends the starts.
// At most `most_cpus` run, the boot CPU counted (cpus=N; 0: as many as
// Keel runs on, arch::kMaxCpus); those left off are named in one line.
// `fault` (fault=ap-*) is injected into the first AP's start.
void start_other_cpus(const kernel::acpi::Platform* platform, u32 most_cpus = 0,
                      kernel::options::Fault fault = kernel::options::Fault::None);

}  // namespace init
