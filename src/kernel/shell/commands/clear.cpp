#include "kernel/shell/commands/commands.hpp"

namespace kernel::shell::commands {

namespace {
Status run(Io& io, const Args& args) {
    if (args.count() > 1) return Status::Usage;
    io.clear_screen();
    return Status::Ok;
}
}  // namespace

const Command kClear{"clear", "clear this side's screen", "", nullptr, run};

}  // namespace kernel::shell::commands
