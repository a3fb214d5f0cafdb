#include "kernel/panic/panic.hpp"

#include "arch/arch.hpp"
#include "kernel/debug/debug.hpp"
#include "kernel/log/log.hpp"
#include "kernel/smp/cpu.hpp"

namespace kernel {

namespace {
// 0, or 1 + the index of the CPU that owns the panic: the first to claim it
// reports, every other CPU stops.
u32 g_panicking = 0;

// 0 before the per-CPU blocks exist; an AP's own index from its first C++
// instruction on (it sets its GS base first), so an AP that panics while it
// is still starting, before it counts as online, is named as itself.
u32 this_cpu_index() { return smp::current_index(); }
}  // namespace

bool panic_in_progress() { return __atomic_load_n(&g_panicking, __ATOMIC_ACQUIRE) != 0; }

void panic_message(ktl::string_view message, SourceLocation where) {
    arch::disable_interrupts();
    const u32 self = this_cpu_index();
    u32 owner = 0;
    if (!__atomic_compare_exchange_n(&g_panicking, &owner, self + 1, false, __ATOMIC_ACQ_REL,
                                     __ATOMIC_ACQUIRE)) {
        // Another CPU reports: one report, so this one only stops.
        if (owner != self + 1) arch::halt_forever();
        // A panic while panicking: say the least that can still work.
        log::write("\nPANIC (nested): ");
        log::write(message);
        log::write("\n");
        arch::halt_forever();
    }
    // A CPU with interrupts off stops too; none keeps printing or changing
    // what the report shows.
    arch::stop_other_cpus();
    log::begin_panic();
    if (log::level() > log::Level::Info)
        log::set_level(log::Level::Info);  // never filter the report
    log::info("");
    if (smp::online_count() > 1)
        log::info("PANIC on CPU {}: {}", self, message);
    else
        log::info("PANIC: {}", message);
    // A null file: the caller (an exception handler) reports the place itself.
    if (where.file != nullptr)
        log::info("  at {}:{} in {}", where.file, where.line, where.function);
    debug::print_panic_report();  // details from the caller, then a backtrace
    log::info("System halted.");
    arch::halt_forever();
}

}  // namespace kernel
