#include "kernel/shell/dispatch.hpp"

namespace kernel::shell {

void print_usage(Io& io, const Command& command) {
    io.print("usage: {}{}{}\n", command.name, command.usage.empty() ? "" : " ", command.usage);
    if (command.choices == nullptr) return;
    io.write("  one of:");
    for (ktl::string_view choice : command.choices()) io.print(" {}", choice);
    io.write("\n");
}

void print_help(Io& io, const Command& command) {
    io.print("{} - {}\n", command.name, command.summary);
    print_usage(io, command);
}

void execute(Io& io, const Registry& commands, ktl::string_view line) {
    Args args;
    if (!args.parse(line)) {
        io.print("too many words: a command takes at most {}\n", Args::kMaxWords - 1);
        return;
    }
    if (args.count() == 0) return;
    const Command* command = commands.find(args.name());
    if (command == nullptr) {
        io.print("unknown command '{}' (try help)\n", args.name());
        return;
    }
    if (args.has("--help")) {
        print_help(io, *command);
        return;
    }
    switch (command->run(io, args)) {
        case Status::Usage:
            print_usage(io, *command);
            break;
        case Status::Ok:
        case Status::Failed:  // the command said why
            break;
    }
}

}  // namespace kernel::shell
