// Runs one finished line: splits it, finds the command, and answers bad
// input in words (an unknown name, too many words, wrong arguments).
#pragma once

#include "kernel/shell/command.hpp"
#include "kernel/shell/registry.hpp"

namespace kernel::shell {

void execute(Io& io, const Registry& commands, ktl::string_view line);

// "crash - provoke a fault ..." and "usage: crash <kind>" (and the kinds):
// what `<name> --help` prints.
void print_help(Io& io, const Command& command);
void print_usage(Io& io, const Command& command);

}  // namespace kernel::shell
