#include "arch/arch.hpp"
#include "init/shell_commands/commands.hpp"
#include "kernel/shell/commands/io_sink.hpp"
#include "lib/format/sink.hpp"

namespace init::commands {

namespace {
using kernel::shell::Args;
using kernel::shell::Io;
using kernel::shell::Status;

Status run(Io& io, const Args& args) {
    if (args.count() > 1) return Status::Usage;
    kernel::shell::IoWriter writer(io);
    kfmt::Sink sink(writer);
    arch::write_cpu_report(sink);
    return Status::Ok;
}
}  // namespace

const kernel::shell::Command kCpu{"cpu", "the processor: model, features, protections in use", "",
                                  nullptr, run};

}  // namespace init::commands
