// The `irq` command's table, apart from where its numbers come from, so the
// host tests can print it from made-up lines.
#pragma once

#include "kernel/irq/irq.hpp"
#include "kernel/shell/command.hpp"

namespace kernel::shell::commands {

void print_irq_header(Io& io);
// The local APIC timer's tick: not an I/O APIC line, so no GSI or trigger.
void print_irq_tick(Io& io, u32 hz, u64 interrupts);
void print_irq_line(Io& io, const irq::LineInfo& line);
void print_irq_counters(Io& io, const irq::Counters& counters);

}  // namespace kernel::shell::commands
