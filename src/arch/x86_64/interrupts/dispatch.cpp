// The one C++ entry point of every interrupt and exception (entry.S's
// interrupt_common calls it with the saved frame): the handler table decides.
#include "arch/x86_64/bits.h"
#include "arch/x86_64/interrupts/exceptions.hpp"
#include "arch/x86_64/interrupts/frame.hpp"
#include "arch/x86_64/interrupts/interrupt_table.hpp"
#include "arch/x86_64/interrupts/running_vector.hpp"
#include "arch/x86_64/irq/irq.hpp"
#include "kernel/smp/cpu.hpp"

namespace {

// The interrupt vector whose handler runs on each CPU (slot = CPU index;
// 0: none). Written only by the slot's CPU, around its own handlers, and
// read by that CPU's fault report: a nested interrupt (an NMI) restores it.
u8 g_running_vector[arch::kMaxCpus] = {};

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
    u8& running = g_running_vector[kernel::smp::current_index()];
    const u8 interrupted = __atomic_load_n(&running, __ATOMIC_RELAXED);
    if (frame->vector >= arch::kFirstFreeVector)
        __atomic_store_n(&running, static_cast<u8>(frame->vector), __ATOMIC_RELAXED);
    dispatch(*frame);
    __atomic_store_n(&running, interrupted, __ATOMIC_RELAXED);
    kernel::smp::leave_interrupt();
}

u8 arch::running_vector_here() {
    return __atomic_load_n(&g_running_vector[kernel::smp::current_index()], __ATOMIC_RELAXED);
}
