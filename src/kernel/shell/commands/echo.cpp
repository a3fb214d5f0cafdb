#include "kernel/shell/commands/commands.hpp"

namespace kernel::shell::commands {

namespace {
Status run(Io& io, const Args& args) {
    for (usize i = 1; i < args.count(); ++i) {
        if (i > 1) io.write(" ");
        io.write(args[i]);
    }
    io.write("\n");
    return Status::Ok;
}
}  // namespace

const Command kEcho{"echo", "print its arguments", "[word]...", nullptr, run};

}  // namespace kernel::shell::commands
