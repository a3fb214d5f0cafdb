#include "kernel/shell/commands/commands.hpp"
#include "kernel/smp/cpu.hpp"
#include "kernel/time/tick.hpp"

namespace kernel::shell::commands {

namespace {
Status run(Io& io, const Args& args) {
    if (args.count() > 1) return Status::Usage;
    const u32 online = smp::online_count();
    io.print("cpus: {} online\n", online);
    io.write("cpu  apic id  calls run  wakeups      ticks\n");
    // The counters belong to their CPU and are read here without a lock: a
    // snapshot, each value whole (aligned 64-bit loads).
    for (u32 i = 0; i < online; ++i) {
        const smp::Cpu& cpu = smp::cpu(i);
        io.print("{:<4} {:<8} {:>9}  {:>7}  {:>9}{}\n", cpu.index, cpu.apic_id,
                 __atomic_load_n(&cpu.calls_run, __ATOMIC_RELAXED),
                 __atomic_load_n(&cpu.wakeups, __ATOMIC_RELAXED), time::ticks_on(cpu.index),
                 &cpu == &smp::this_cpu() ? "  (this one)" : "");
    }
    return Status::Ok;
}
}  // namespace

const Command kCpus{"cpus", "the CPUs online: index, APIC ID, cross-CPU calls, idle wakeups, ticks",
                    "", nullptr, run};

}  // namespace kernel::shell::commands
