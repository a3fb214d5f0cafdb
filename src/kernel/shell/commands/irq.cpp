#include "kernel/irq/irq.hpp"
#include "kernel/shell/commands/commands.hpp"
#include "kernel/shell/commands/irq_table.hpp"
#include "kernel/time/tick.hpp"

namespace kernel::shell::commands {

namespace {
Status run(Io& io, const Args& args) {
    if (args.count() > 1) return Status::Usage;
    print_irq_header(io);
    if (time::tick_hz() != 0) print_irq_tick(io, time::tick_hz(), time::tick_interrupts());
    usize lines = 0;
    for (usize slot = 0; slot < irq::line_slots(); ++slot) {
        irq::LineInfo line;
        if (!irq::line_info(slot, line)) continue;
        print_irq_line(io, line);
        ++lines;
    }
    if (lines == 0) io.write("(no device lines installed: the Interrupts phase did not run)\n");
    print_irq_counters(io, irq::counters());
    return Status::Ok;
}
}  // namespace

const Command kIrq{"irq", "interrupt lines: GSI, vector, trigger, count; spurious counters", "",
                   nullptr, run};

}  // namespace kernel::shell::commands
