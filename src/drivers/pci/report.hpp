// The lspci-like boot report: one line per function, e.g.
//   pci 00:02.0 [0300] VGA compatible controller: 1234:1111 (unknown device), BAR0 16 MiB mem pref
#pragma once

#include "drivers/pci/enumerate.hpp"
#include "drivers/pci/function.hpp"
#include "drivers/pci/name_table.hpp"
#include "lib/format/buffer.hpp"

namespace drivers::pci {

using ReportLine = kfmt::Buffer<480>;

// The function's report line (no newline).
void describe(const Function& f, ReportLine& out, const names::NameTable& table = names::kTable);

// "enumeration problem at 00:03.0 (bus 3): bridge to a bus already reached ..."
void describe(const Problem& p, ReportLine& out);

}  // namespace drivers::pci
