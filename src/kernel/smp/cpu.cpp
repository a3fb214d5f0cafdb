#include "kernel/smp/cpu.hpp"

#include "kernel/smp/per_cpu.hpp"

namespace kernel::smp {

namespace {

// Each CPU's block in its per-CPU area: the boot CPU's is static.
KEEL_PER_CPU PerCpu<Cpu> g_cpus;
// Blocks handed out; written by the boot CPU only, while it starts CPUs
// one at a time.
u32 g_reserved = 0;
// CPUs online, published (release) after the CPU's block is complete.
u32 g_online = 0;
// Set once the boot CPU's GS base points at its block: from then on every
// CPU in the kernel has one (published before any AP starts).
bool g_blocks_ready = false;
// The boot CPU's interrupt depth until its block exists.
u32 g_early_interrupt_depth = 0;

u32& interrupt_depth() {
    return __atomic_load_n(&g_blocks_ready, __ATOMIC_ACQUIRE) ? this_cpu().interrupt_depth
                                                              : g_early_interrupt_depth;
}

}  // namespace

void init_boot_cpu(u32 apic_id) {
    Cpu& c = g_cpus[0];
    c.self = &c;
    c.index = 0;
    c.post_lock.set_class(g_mailbox_locks);
    c.apic_id = apic_id;
    g_reserved = 1;
    arch::set_cpu_local(&c);
    __atomic_store_n(&g_blocks_ready, true, __ATOMIC_RELEASE);
    __atomic_store_n(&g_online, 1, __ATOMIC_RELEASE);
}

Cpu* reserve_cpu(u32 apic_id) {
    // Only a CPU with a per-CPU area has a block (allocate_per_cpu_areas).
    if (g_reserved >= per_cpu_areas()) return nullptr;
    Cpu& c = g_cpus[g_reserved];
    c.self = &c;
    c.index = g_reserved;
    c.post_lock.set_class(g_mailbox_locks);
    c.apic_id = apic_id;
    ++g_reserved;
    return &c;
}

void release_cpu(Cpu& cpu) {
    if (cpu.index + 1 == g_reserved) --g_reserved;
}

void mark_online(Cpu& cpu) {
    arch::set_cpu_local(&cpu);
    // CPUs start one at a time, in index order: the count is the index.
    __atomic_store_n(&g_online, cpu.index + 1, __ATOMIC_RELEASE);
}

u32 current_index() {
    return __atomic_load_n(&g_blocks_ready, __ATOMIC_ACQUIRE) ? this_cpu().index : 0;
}

// A plain increment: only this CPU writes its depth, and an NMI arriving
// in the middle of it puts the value back as it found it before it returns.
void enter_interrupt() { ++interrupt_depth(); }
void leave_interrupt() { --interrupt_depth(); }

Place current_place() {
    if (!__atomic_load_n(&g_blocks_ready, __ATOMIC_ACQUIRE))
        return {0, g_early_interrupt_depth != 0};
    const Cpu& self = this_cpu();
    return {self.index, self.interrupt_depth != 0};
}

u32 online_count() { return __atomic_load_n(&g_online, __ATOMIC_ACQUIRE); }
Cpu& cpu(u32 index) { return g_cpus[index]; }

}  // namespace kernel::smp
