// What power-off will write, decided from the FADT and the \_S5_ sleep type
// before anything is written: the PM1a (and PM1b) control blocks, or on a
// hardware-reduced machine the sleep control register; and whether ACPI
// mode must be entered first through the SMI command port. Decided at boot
// (the Power phase), so the moment of power-off needs no table and a
// missing piece is reported while the machine still runs.
#pragma once

#include "kernel/acpi/fadt.hpp"
#include "kernel/acpi/sleep_state.hpp"
#include "kernel/power/pm1.hpp"
#include "lib/ktl/string_view.hpp"

namespace kfmt {
class Sink;
}

namespace kernel::power {

enum class PlanProblem : u8 {
    NoFadt,          // no usable FADT: no power-management registers known
    NoSleepType,     // no \_S5_ found (see sleep_error)
    NoControlBlock,  // the FADT names no PM1a control block (nor sleep control)
    Unreachable,     // a register the plan writes cannot be reached (drivers/power's check)
};

[[nodiscard]] ktl::string_view describe(PlanProblem problem);

struct PowerOffPlan {
    bool hardware_reduced = false;
    Register pm1a_control;
    Register pm1b_control;   // absent on most machines
    Register sleep_control;  // hardware-reduced only
    u8 sleep_type_a = 0;
    u8 sleep_type_b = 0;
    // The SMI command port and the value that enters ACPI mode (both 0 when
    // the machine is always in ACPI mode).
    u32 smi_command = 0;
    u8 acpi_enable = 0;
};

// `sleep` is the scan's outcome over the DSDT and SSDTs.
Result<PowerOffPlan, PlanProblem> plan_power_off(
    const acpi::Fadt* fadt, const Result<acpi::SleepType, acpi::SleepTypeError>& sleep);

// "PM1a control io 0x604, SLP_TYPa 0" (and PM1b, or the sleep control
// register), for the boot log.
void describe(const PowerOffPlan& plan, kfmt::Sink& out);

}  // namespace kernel::power
