#include "arch/arch.hpp"
#include "init/shell_commands/commands.hpp"
#include "kernel/shell/commands/io_sink.hpp"

namespace init::commands {

namespace {
kernel::shell::Status run(kernel::shell::Io& io, const kernel::shell::Args& args) {
    return kernel::shell::run_report(io, args, arch::write_cpu_report);
}
}  // namespace

const kernel::shell::Command kCpu{"cpu", "the processor: model, features, protections in use", "",
                                  nullptr, run};

}  // namespace init::commands
