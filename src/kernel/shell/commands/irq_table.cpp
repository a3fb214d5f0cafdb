#include "kernel/shell/commands/irq_table.hpp"

namespace kernel::shell::commands {

void print_irq_header(Io& io) {
    io.write("line             isa  gsi  vector  trigger  polarity         count\n");
}

void print_irq_tick(Io& io, u32 hz, u64 interrupts) {
    io.print("{:<16} -    -    -       local APIC timer, {} Hz {:>8}\n", "timer", hz, interrupts);
}

void print_irq_line(Io& io, const irq::LineInfo& line) {
    kfmt::Buffer<8> isa;
    if (line.isa_irq == 0xFF)
        kfmt::format_to(isa, "-");
    else
        kfmt::format_to(isa, "{}", line.isa_irq);
    const ktl::string_view state = line.stormed  ? "  masked (storm)"
                                   : line.masked ? "  masked"
                                                 : "";
    io.print("{:<16} {:<4} {:<4} {:#04x}    {:<8} {:<11} {:>10}{}\n", line.name, isa.view(),
             line.gsi, line.vector, line.trigger == irq::Trigger::Edge ? "edge" : "level",
             line.polarity == irq::Polarity::ActiveHigh ? "active-high" : "active-low", line.count,
             state);
}

void print_irq_counters(Io& io, const irq::Counters& counters) {
    io.print("unexpected {}, APIC spurious {}, PIC spurious {}, APIC errors {}, storms {}\n",
             counters.unexpected, counters.apic_spurious, counters.pic_spurious,
             counters.apic_errors, counters.storms);
}

}  // namespace kernel::shell::commands
