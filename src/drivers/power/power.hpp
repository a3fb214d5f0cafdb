// Power-off, reboot and the ACPI power button (docs/power.md). The shell
// and the kernel call power_off() and reboot(); the Power phase calls
// init() with what it read from the firmware's tables, then
// enable_power_button().
//
// The power button raises the SCI: the Power phase installs handle_sci()
// on it (src/init/power.cpp); where it cannot (no I/O APIC), the idle loop
// calls poll_power_button().
//
// State: written once by the boot CPU in the Power phase, read-only after;
// power_off() and reboot() let one CPU through and halt any other that
// calls them meanwhile (the machine is going away either way).
#pragma once

#include "drivers/pci/config_access.hpp"
#include "kernel/acpi/fadt.hpp"
#include "kernel/power/power_off_plan.hpp"
#include "kernel/power/reboot_method.hpp"

namespace drivers::power {

// `fadt` may be null (no ACPI); `pci` reaches a PCI reset register, and
// may be null too.
void init(const kernel::acpi::Fadt* fadt,
          const Result<kernel::power::PowerOffPlan, kernel::power::PlanProblem>& plan,
          pci::ConfigAccess* pci);

// Whether power-off knows what to write (else it says why and halts), and
// what it writes, or why it cannot, as init() left them.
[[nodiscard]] bool can_power_off();
[[nodiscard]] Result<kernel::power::PowerOffPlan, kernel::power::PlanProblem> power_off_plan();

// Sets SCI_EN by the SMI command port's ACPI_ENABLE value when it is off,
// waiting up to 3 s for the firmware to hand over. Logs what it did. Needs
// only the FADT (no power-off plan); true where there is nothing to enter.
bool enter_acpi_mode();

// Makes the power button the SCI's only source: every PM1 and GPE enable
// register zeroed, every PM1 and GPE status cleared, PM1 enable set to
// exactly PWRBTN_EN (kernel/power/event_setup.hpp). False (logged) where
// there is no fixed power button: no FADT, no PM1 event block, or
// hardware-reduced ACPI (whose button is a device Keel does not drive).
bool enable_power_button();

// Logs, writes SLP_TYP with SLP_EN, and halts with a message when the
// machine is still on 5 s later or cannot be powered off at all.
[[noreturn]] void power_off();

// Tries each method from `first` on, logging each and giving each a
// bounded time to act before the next.
[[noreturn]] void reboot(
    kernel::power::RebootMethod first = kernel::power::RebootMethod::AcpiResetRegister);

// The SCI handler: acknowledges every PM1 status bit it finds set (the
// first time one is not the button's, says so once at debug level); when
// PWRBTN_STS was among them, logs "power: power button pressed, powering
// off" and powers off. Runs with interrupts off; takes only the log's
// interrupt-safe lock.
void handle_sci(void* context);

// The polled fallback: handle_sci() when the power button's status bit is
// set. Cheap (one or two port reads): for an idle loop.
void poll_power_button();

}  // namespace drivers::power
