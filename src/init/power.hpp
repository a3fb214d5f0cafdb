// The Power phase's glue (docs/power.md): the soft-off plan from the
// firmware's tables, ACPI mode, the power button on the SCI (polled by the
// idle loop where the SCI cannot be installed); and the end of `test` mode.
#pragma once

#include "drivers/pci/config_access.hpp"
#include "kernel/acpi/platform.hpp"

namespace init {

// `platform` is null without ACPI; `pci` reaches a PCI reset register
// (null without PCI).
void prepare_power(const kernel::acpi::Platform* platform, drivers::pci::ConfigAccess* pci);

// For the idle loop: looks at the power button's status when the SCI has
// no handler (no I/O APIC); nothing otherwise, as the SCI reports a press.
void poll_power_button_if_needed();

// Ends `test` mode: QEMU's isa-debug-exit when it is there (exit status 33
// or 35), else power-off, after saying so; the KTAP report on COM1 holds
// the result either way.
[[noreturn]] void end_tests(bool passed);

}  // namespace init
