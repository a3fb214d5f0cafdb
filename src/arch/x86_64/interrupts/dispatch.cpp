// The one C++ entry point of every interrupt and exception (entry.S's
// interrupt_common calls it with the saved frame): the handler table decides.
#include "arch/x86_64/bits.h"
#include "arch/x86_64/interrupts/exceptions.hpp"
#include "arch/x86_64/interrupts/frame.hpp"
#include "arch/x86_64/interrupts/interrupt_table.hpp"
#include "arch/x86_64/irq/irq.hpp"
#include "kernel/smp/cpu.hpp"

namespace {

// The vectors that interrupt whatever code runs, rather than being raised
// by its own instruction: the ones kernel::smp::enter_interrupt() counts
// (kernel/smp/cpu.hpp says why the synchronous exceptions do not).
bool asynchronous(u64 vector) {
    return vector >= arch::kFirstFreeVector || vector == EXC_NMI || vector == EXC_MACHINE_CHECK;
}

void dispatch(arch::InterruptFrame& frame) {
    if (arch::interrupt_table().dispatch(frame)) return;
    // An exception without a handler is a kernel bug; a device vector
    // without one must not stop the machine.
    if (frame.vector >= arch::kFirstFreeVector)
        arch::irq::handle_unexpected_vector(frame);
    else
        arch::report_unhandled_interrupt(frame);
}

}  // namespace

extern "C" void interrupt_dispatch(arch::InterruptFrame* frame) {
    // Nothing before the handler may fault: an exception handler reads CR2
    // first, and a fault here would overwrite it. (Counting the interrupt
    // context is skipped for the exceptions, and cannot fault: a flag and a
    // load through GS, whose base points at this CPU's block.)
    if (!asynchronous(frame->vector)) {
        dispatch(*frame);
        return;
    }
    kernel::smp::enter_interrupt();
    dispatch(*frame);
    kernel::smp::leave_interrupt();
}
