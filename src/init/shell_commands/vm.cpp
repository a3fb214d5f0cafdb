#include "arch/arch.hpp"
#include "init/shell_commands/commands.hpp"
#include "kernel/shell/commands/io_sink.hpp"

namespace init::commands {

namespace {
kernel::shell::Status run(kernel::shell::Io& io, const kernel::shell::Args& args) {
    return kernel::shell::run_report(io, args, arch::write_mapping_summary);
}
}  // namespace

const kernel::shell::Command kVm{
    "vm", "the kernel's mappings: runs of pages with their permissions and cache type", "", nullptr,
    run};

}  // namespace init::commands
