// An Io as a kfmt output, for report writers that take a kfmt::Sink (the
// ACPI report, the PCI lines): what they write goes to the shell's side.
#pragma once

#include "kernel/shell/command.hpp"

namespace kernel::shell {

class IoWriter {
public:
    explicit IoWriter(Io& io) : io_(io) {}
    void write(const char* data, usize size) { io_.write({data, size}); }

private:
    Io& io_;
};

}  // namespace kernel::shell
