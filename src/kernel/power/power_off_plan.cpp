#include "kernel/power/power_off_plan.hpp"

#include "lib/format/format.hpp"
#include "lib/format/sink.hpp"

namespace kernel::power {

ktl::string_view describe(PlanProblem problem) {
    switch (problem) {
        case PlanProblem::NoFadt:
            return "no usable FADT, so no power-management registers are known";
        case PlanProblem::NoSleepType:
            return "no soft-off sleep type (\\_S5_) in the DSDT or SSDTs";
        case PlanProblem::NoControlBlock:
            return "the FADT names no PM1a control block";
        case PlanProblem::Unreachable:
            return "a register it must write cannot be reached (a port past 0xffff, or memory "
                   "that cannot be mapped)";
    }
    return "unknown problem";
}

Result<PowerOffPlan, PlanProblem> plan_power_off(
    const acpi::Fadt* fadt, const Result<acpi::SleepType, acpi::SleepTypeError>& sleep) {
    if (fadt == nullptr) return PlanProblem::NoFadt;
    if (!sleep) return PlanProblem::NoSleepType;
    PowerOffPlan plan;
    plan.sleep_type_a = sleep->a;
    plan.sleep_type_b = sleep->b;
    // A hardware-reduced machine has no PM1 blocks; ACPI 6.5 §4.1 says the
    // sleep control register takes their place.
    if (fadt->hardware_reduced() && fadt->sleep_control.present()) {
        plan.hardware_reduced = true;
        plan.sleep_control = byte_register(fadt->sleep_control);
        return plan;
    }
    plan.pm1a_control = pm1_control_register(fadt->pm1a_control);
    plan.pm1b_control = pm1_control_register(fadt->pm1b_control);
    if (!plan.pm1a_control.present()) return PlanProblem::NoControlBlock;
    plan.smi_command = fadt->smi_command_port;
    plan.acpi_enable = fadt->acpi_enable;
    return plan;
}

void describe(const PowerOffPlan& plan, kfmt::Sink& out) {
    const auto reg = [&out](ktl::string_view name, const Register& r) {
        kfmt::format_to(out, "{} {} {:#x}", name, acpi::space_name(r.where.space), r.where.address);
    };
    if (plan.hardware_reduced) {
        reg("sleep control", plan.sleep_control);
        kfmt::format_to(out, ", SLP_TYP {}", plan.sleep_type_a);
        return;
    }
    reg("PM1a control", plan.pm1a_control);
    kfmt::format_to(out, ", SLP_TYPa {}", plan.sleep_type_a);
    if (plan.pm1b_control.present()) {
        out.write(", ", 2);
        reg("PM1b control", plan.pm1b_control);
        kfmt::format_to(out, ", SLP_TYPb {}", plan.sleep_type_b);
    }
}

}  // namespace kernel::power
