// Per-CPU variables (kernel/smp/per_cpu.hpp) on the CPUs online: the boot
// CPU's copy is the image's section, every other CPU's is its own, in an
// area of its own. Run with test=smp_ on several CPUs
// (tests/qemu/percpu_tests.cmake, cpus.ktest.12).
#include "kernel/smp/call.hpp"
#include "kernel/smp/cpu.hpp"
#include "kernel/smp/per_cpu.hpp"
#include "kernel/test/ktest.hpp"

extern "C" u8 __percpu_start[];
extern "C" u8 __percpu_end[];

namespace {

namespace smp = kernel::smp;

KEEL_PER_CPU smp::PerCpu<u64> g_probe;

constexpr u64 kMark = 0x5ec0'0000'0000;

// On each CPU: its own copy, found by its own index.
void write_own(void* /*arg*/) {
    const u32 index = smp::current_index();
    g_probe[index] = kMark + index;
}

uptr address(u32 cpu) { return reinterpret_cast<uptr>(&g_probe[cpu]); }

KTEST(smp_per_cpu_copies_are_each_cpus_own) {
    const u32 cpus = smp::online_count();
    KEXPECT(smp::per_cpu_areas() >= cpus);
    const uptr start = reinterpret_cast<uptr>(__percpu_start);
    KEXPECT(address(0) >= start && address(0) < reinterpret_cast<uptr>(__percpu_end));
    // kernel.ld aligns the boot CPU's area by a number of its own: it must
    // be kPerCpuAlign, which the other CPUs' copies get from the heap.
    KEXPECT(start % smp::kPerCpuAlign == 0);
    for (u32 i = 0; i < cpus; ++i) g_probe[i] = 0;
    smp::call_on_all(write_own, nullptr);
    for (u32 i = 0; i < cpus; ++i) KEXPECT(g_probe[i] == kMark + i);
    // Each copy sits at the same place in an area of its own: no two
    // areas overlap.
    const usize bytes = smp::per_cpu_area_bytes();
    for (u32 i = 1; i < cpus; ++i) {
        for (u32 j = 0; j < i; ++j) {
            const uptr a = address(i);
            const uptr b = address(j);
            KEXPECT((a > b ? a - b : b - a) >= bytes);
        }
        KEXPECT((address(i) - address(0)) % smp::kPerCpuAlign == 0);
    }
}

// Every CPU's block (kernel/smp/cpu.hpp) is a per-CPU variable: the block
// GS points at on each CPU is that CPU's copy.
void check_block(void* arg) {
    auto* ok = static_cast<u32*>(arg);
    const smp::Cpu& self = smp::this_cpu();
    if (&self == &smp::cpu(self.index) && self.self == &self)
        __atomic_fetch_add(ok, 1, __ATOMIC_RELAXED);
}

KTEST(smp_per_cpu_blocks_in_their_areas) {
    u32 ok = 0;
    smp::call_on_all(check_block, &ok);
    KEXPECT(ok == smp::online_count());
    for (u32 i = 1; i < smp::online_count(); ++i) KEXPECT(&smp::cpu(i) != &smp::cpu(0));
#if KEEL_DEBUG_LOCKS
    // A block starts as zero bytes; its mailbox lock joins its class when
    // the block is made (cpu.cpp), for the lock-order check.
    for (u32 i = 0; i < smp::online_count(); ++i)
        KEXPECT(smp::cpu(i).post_lock.lock_class() == &smp::g_mailbox_locks);
#endif
}

// An index without an area no longer reaches the boot CPU's copy once the
// areas are given out: its address is non-canonical, so a stray index
// faults instead of corrupting CPU 0's state.
KTEST(smp_per_cpu_stray_index_is_not_the_boot_cpus_copy) {
    const u32 first_without = smp::per_cpu_areas();
    if (first_without >= arch::kMaxCpus) return;
    const uptr stray = address(first_without);
    KEXPECT(stray != address(0));
    // Canonical: bits 63-47 all equal.
    const u64 top = stray >> 47;
    KEXPECT(top != 0 && top != (u64{1} << 17) - 1);
}

}  // namespace
