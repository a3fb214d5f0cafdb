#include "init/power.hpp"

#include "arch/arch.hpp"
#include "drivers/power/power.hpp"
#include "drivers/qemu/qemu_exit.hpp"
#include "init/acpi.hpp"
#include "kernel/irq/irq.hpp"
#include "kernel/log/log.hpp"
#include "lib/format/buffer.hpp"

namespace init {

namespace {
namespace kp = kernel::power;
namespace acpi = kernel::acpi;

// Whether the power button has no SCI handler, so the idle loop looks at
// it (no I/O APIC, or the line could not be installed). Written once by the
// Power phase.
bool g_button_polled = false;

// The power button's interrupt: the SCI, level-triggered and active low
// unless the MADT overrides it (ACPI 6.5, 5.2.9 "SCI_INT").
void install_sci(const acpi::Fadt& fadt) {
    namespace irq = kernel::irq;
    const u16 sci = fadt.sci_interrupt;
    const Result<irq::Handle, irq::IrqError> handle =
        sci < 16 ? irq::install_isa(static_cast<u8>(sci), "acpi-sci", drivers::power::handle_sci,
                                    nullptr, irq::Trigger::Level, irq::Polarity::ActiveLow)
                 : irq::install_gsi(sci, "acpi-sci", drivers::power::handle_sci, nullptr,
                                    irq::Trigger::Level, irq::Polarity::ActiveLow);
    if (handle) {
        kernel::log::info("power: the power button raises the SCI (IRQ {})", sci);
        return;
    }
    g_button_polled = true;
    kernel::log::warn(
        "power: the SCI (IRQ {}) has no handler ({}); the idle loop polls the "
        "power button",
        sci, irq::describe(handle.error()));
}
}  // namespace

void prepare_power(const acpi::Platform* platform, drivers::pci::ConfigAccess* pci) {
    const acpi::Fadt* fadt = platform != nullptr && platform->fadt_state == acpi::Found::Parsed
                                 ? &platform->fadt
                                 : nullptr;
    Result<acpi::SleepType, acpi::SleepTypeError> s5 = acpi::SleepTypeError::NotFound;
    if (platform != nullptr) s5 = find_soft_off(*platform);
    const Result<kp::PowerOffPlan, kp::PlanProblem> plan = kp::plan_power_off(fadt, s5);
    drivers::power::init(fadt, plan, pci);
    // What the driver kept: it drops a plan whose registers it cannot reach.
    const Result<kp::PowerOffPlan, kp::PlanProblem> kept = drivers::power::power_off_plan();
    if (kept) {
        kfmt::Buffer<160> how;
        kfmt::Sink sink(how);
        kp::describe(*kept, sink);
        kernel::log::info("power: soft-off through {}", how.view());
    } else if (kept.error() == kp::PlanProblem::NoSleepType && fadt != nullptr) {
        kernel::log::warn("power: power-off will not work: {} ({})", kp::describe(kept.error()),
                          acpi::describe(s5.error()));
    } else {
        kernel::log::warn("power: power-off will not work: {}", kp::describe(kept.error()));
    }
    // ACPI mode first, plan or not: until SCI_EN is set the events go to
    // the firmware's SMI handler, and the button would never raise the SCI.
    if (fadt != nullptr) (void)drivers::power::enter_acpi_mode();
    if (drivers::power::enable_power_button() && fadt != nullptr) install_sci(*fadt);
}

void poll_power_button_if_needed() {
    if (g_button_polled) drivers::power::poll_power_button();
}

[[noreturn]] void end_tests(bool passed) {
    kernel::log::flush();  // the KTAP report's last lines, out before QEMU ends
    if (drivers::qemu_exit_present())
        drivers::qemu_exit(passed ? drivers::QemuExit::Success : drivers::QemuExit::Failure);
    kernel::log::info("test: {}; no isa-debug-exit device, so the tests end by powering off",
                      passed ? "all passed" : "FAILED");
    drivers::power::power_off();
}

}  // namespace init
