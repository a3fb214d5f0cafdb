// The Power phase's glue (docs/power.md): the soft-off plan from the
// firmware's tables, ACPI mode, the power button; the idle loop that polls
// the button until the interrupt API lands; and the end of `test` mode.
#pragma once

#include "drivers/pci/config_access.hpp"
#include "kernel/acpi/platform.hpp"

namespace init {

// `platform` is null without ACPI; `pci` reaches a PCI reset register
// (null without PCI).
void prepare_power(const kernel::acpi::Platform* platform, drivers::pci::ConfigAccess* pci);

// Where the kernel waits when it has nothing to do: polls the power
// button's status (there is no SCI handler until the interrupt API lands).
[[noreturn]] void idle_forever();

// Ends `test` mode: QEMU's isa-debug-exit when it is there (exit status 33
// or 35), else power-off, after saying so; the KTAP report on COM1 holds
// the result either way.
[[noreturn]] void end_tests(bool passed);

}  // namespace init
