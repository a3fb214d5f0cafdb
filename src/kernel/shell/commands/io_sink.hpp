// An Io as a kfmt output, for report writers that take a kfmt::Sink (the
// ACPI report, the PCI lines): what they write goes to the shell's side.
#pragma once

#include "kernel/shell/command.hpp"
#include "lib/format/sink.hpp"

namespace kernel::shell {

class IoWriter {
public:
    explicit IoWriter(Io& io) : io_(io) {}
    void write(const char* data, usize size) { io_.write({data, size}); }

private:
    Io& io_;
};

// The whole run of a command that takes no arguments and prints one report
// written to a kfmt::Sink (`cpu`, `vm`).
inline Status run_report(Io& io, const Args& args, void (*report)(kfmt::Sink&)) {
    if (args.count() > 1) return Status::Usage;
    IoWriter writer(io);
    kfmt::Sink sink(writer);
    report(sink);
    return Status::Ok;
}

}  // namespace kernel::shell
