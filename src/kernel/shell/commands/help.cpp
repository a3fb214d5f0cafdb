#include "kernel/shell/commands/commands.hpp"
#include "kernel/shell/registry.hpp"

namespace kernel::shell::commands {

namespace {
Status run(Io& io, const Args& args) {
    if (args.count() > 1) return Status::Usage;
    usize width = 0;
    for (const Command* c : registry().all())
        if (c->name.size() > width) width = c->name.size();
    for (const Command* c : registry().all()) {
        io.write(c->name);
        for (usize i = c->name.size(); i < width + 2; ++i) io.write(" ");
        io.print("{}\n", c->summary);
    }
    io.write("<command> --help shows its usage; Tab completes, Up/Down recall lines.\n");
    return Status::Ok;
}
}  // namespace

const Command kHelp{"help", "list the commands", "", nullptr, run};

}  // namespace kernel::shell::commands
