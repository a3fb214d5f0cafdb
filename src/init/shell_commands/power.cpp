#include "drivers/power/power.hpp"
#include "init/shell_commands/commands.hpp"

namespace init::commands {

namespace {
namespace shell = kernel::shell;
using kernel::power::RebootMethod;

constexpr RebootMethod kMethods[] = {RebootMethod::AcpiResetRegister, RebootMethod::Cf9,
                                     RebootMethod::Keyboard, RebootMethod::TripleFault};
static_assert(sizeof(kMethods) / sizeof(kMethods[0]) == kernel::power::kRebootMethodCount);

ktl::span<const ktl::string_view> method_names() {
    static constexpr ktl::string_view kNames[] = {
        kernel::power::option_name(kMethods[0]), kernel::power::option_name(kMethods[1]),
        kernel::power::option_name(kMethods[2]), kernel::power::option_name(kMethods[3])};
    return kNames;
}

shell::Status reboot(shell::Io& io, const shell::Args& args) {
    if (args.count() > 2) return shell::Status::Usage;
    if (args.count() == 1) drivers::power::reboot();
    for (RebootMethod method : kMethods)
        if (kernel::power::option_name(method) == args[1]) drivers::power::reboot(method);
    io.print("reboot: unknown method '{}'\n", args[1]);
    return shell::Status::Usage;
}

shell::Status poweroff(shell::Io& io, const shell::Args& args) {
    if (args.count() > 1) return shell::Status::Usage;
    // Refused here rather than by power_off(), which would halt: the shell
    // stays usable (reboot still works).
    if (!drivers::power::can_power_off()) {
        io.write("poweroff: this machine cannot be powered off (see 'log' for why)\n");
        return shell::Status::Failed;
    }
    drivers::power::power_off();
}
}  // namespace

const shell::Command kReboot{"reboot",
                             "reset the machine (from the given method on, falling back in order)",
                             "[acpi|cf9|kbd|triple]", method_names, reboot};
const shell::Command kPoweroff{"poweroff", "turn the machine off (ACPI S5)", "", nullptr, poweroff};

}  // namespace init::commands
