#include "init/shell_commands/commands.hpp"

namespace init::commands {

namespace {
using kernel::shell::Args;
using kernel::shell::Io;
using kernel::shell::Status;

Status run(Io& io, const Args& args) {
    if (args.count() > 1) return Status::Usage;
    io.print("Keel {} (x86_64, {})\n", KEEL_VERSION, __VERSION__);
    return Status::Ok;
}
}  // namespace

const kernel::shell::Command kVersion{"version", "the kernel's version and compiler", "", nullptr,
                                      run};

}  // namespace init::commands
