// The one C++ entry point of every interrupt and exception (entry.S's
// interrupt_common calls it with the saved frame): the handler table decides.
#include "arch/x86_64/interrupts/exceptions.hpp"
#include "arch/x86_64/interrupts/frame.hpp"
#include "arch/x86_64/interrupts/interrupt_table.hpp"
#include "arch/x86_64/irq/irq.hpp"

extern "C" void interrupt_dispatch(arch::InterruptFrame* frame) {
    // Nothing before the handler may fault: an exception handler reads CR2
    // first, and a fault here would overwrite it.
    if (arch::interrupt_table().dispatch(*frame)) return;
    // An exception without a handler is a kernel bug; a device vector
    // without one must not stop the machine.
    if (frame->vector >= arch::kFirstFreeVector)
        arch::irq::handle_unexpected_vector(*frame);
    else
        arch::report_unhandled_interrupt(*frame);
}
