#include "init/power.hpp"

#include "arch/arch.hpp"
#include "drivers/power/power.hpp"
#include "drivers/qemu/qemu_exit.hpp"
#include "init/acpi.hpp"
#include "kernel/log/log.hpp"
#include "lib/format/buffer.hpp"

namespace init {

namespace {
namespace kp = kernel::power;
namespace acpi = kernel::acpi;

// How often the idle loop looks at the power button: often enough that a
// press feels immediate, rarely enough that the port reads cost little.
constexpr u64 kPollMicroseconds = 10'000;
}  // namespace

void prepare_power(const acpi::Platform* platform, drivers::pci::ConfigAccess* pci) {
    const acpi::Fadt* fadt = platform != nullptr && platform->fadt_state == acpi::Found::Parsed
                                 ? &platform->fadt
                                 : nullptr;
    Result<acpi::SleepType, acpi::SleepTypeError> s5 = acpi::SleepTypeError::NotFound;
    if (platform != nullptr) s5 = find_soft_off(*platform);
    const Result<kp::PowerOffPlan, kp::PlanProblem> plan = kp::plan_power_off(fadt, s5);
    drivers::power::init(fadt, plan, pci);
    if (plan) {
        kfmt::Buffer<160> how;
        kfmt::Sink sink(how);
        kp::describe(*plan, sink);
        kernel::log::info("power: soft-off through {}", how.view());
        (void)drivers::power::enter_acpi_mode();
    } else if (plan.error() == kp::PlanProblem::NoSleepType && fadt != nullptr) {
        kernel::log::warn("power: power-off will not work: {} ({})", kp::describe(plan.error()),
                          acpi::describe(s5.error()));
    } else {
        kernel::log::warn("power: power-off will not work: {}", kp::describe(plan.error()));
    }
    (void)drivers::power::enable_power_button();
}

[[noreturn]] void idle_forever() {
    arch::disable_interrupts();
    for (;;) {
        drivers::power::poll_power_button();
        const u64 start = arch::microseconds_since_boot();
        if (start == 0) {
            // No clock: the port reads themselves pace the loop.
            for (int i = 0; i < 1000; ++i) arch::pause();
            continue;
        }
        while (arch::microseconds_since_boot() - start < kPollMicroseconds) arch::pause();
    }
}

[[noreturn]] void end_tests(bool passed) {
    if (drivers::qemu_exit_present())
        drivers::qemu_exit(passed ? drivers::QemuExit::Success : drivers::QemuExit::Failure);
    kernel::log::info("test: {}; no isa-debug-exit device, so the tests end by powering off",
                      passed ? "all passed" : "FAILED");
    drivers::power::power_off();
}

}  // namespace init
