// Cross-CPU calls that cross (`test=smp2_` on several CPUs,
// tests/qemu/smp_locks_timers_tests.cmake): CPU 0 calls CPU 1 with interrupts off, and
// the call, running on CPU 1, calls CPU 0 back. Each waits for the other;
// CPU 0 must run CPU 1's call while it waits (call.cpp), or both time out.
// Only a CPU that is not itself running a call can be called back so: the
// mailbox of a CPU running a call stays its caller's until the call ends.
#include "arch/arch.hpp"
#include "kernel/log/log.hpp"
#include "kernel/smp/call.hpp"
#include "kernel/smp/cpu.hpp"
#include "kernel/sync/guard.hpp"
#include "kernel/test/ktest.hpp"

namespace {

namespace smp = kernel::smp;

struct Crossing {
    u32 first;         // the CPU that calls first
    u32 second;        // the CPU it calls, which calls it back
    u32 outer_ran_on;  // where the outer call ran
    u32 inner_ran_on;  // where the call back ran
    u32 inner_runs;    // how often the call back ran
};

void call_back(void* arg) {
    auto& c = *static_cast<Crossing*>(arg);
    c.inner_ran_on = smp::this_cpu().index;
    __atomic_fetch_add(&c.inner_runs, 1, __ATOMIC_RELAXED);
}

// On `second`: calls `first`, which is waiting for this very call to end.
void call_the_caller(void* arg) {
    auto& c = *static_cast<Crossing*>(arg);
    c.outer_ran_on = smp::this_cpu().index;
    smp::call_on(c.first, call_back, &c);
}

// On `first`, with interrupts off (as a caller holding an interrupt-save
// lock would be): the boot CPU's wake-up interrupt cannot run the call back.
void start_crossing(void* arg) {
    auto& c = *static_cast<Crossing*>(arg);
    const kernel::InterruptSaveGuard interrupts_off;
    smp::call_on(c.second, call_the_caller, &c);
}

KTEST(smp2_calls_cross_without_deadlock) {
    if (smp::online_count() < 2) {
        kernel::log::info(
            "# smp2_calls_cross_without_deadlock: one CPU online: not tested "
            "(skipped)");
        return;
    }
    Crossing c{smp::this_cpu().index, smp::this_cpu().index == 0 ? 1U : 0U, ~0U, ~0U, 0};
    start_crossing(&c);
    KEXPECT(c.outer_ran_on == c.second);
    KEXPECT(c.inner_ran_on == c.first);
    KEXPECT(c.inner_runs == 1);
    kernel::log::info("smp test: CPU {} called CPU {}, which called it back: both returned",
                      c.first, c.second);
}

}  // namespace
