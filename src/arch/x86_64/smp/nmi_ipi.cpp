#include "arch/x86_64/smp/nmi_ipi.hpp"

#include "arch/arch.hpp"
#include "arch/x86_64/apic/local_apic.hpp"
#include "arch/x86_64/paging/tlb.hpp"
#include "kernel/panic/panic.hpp"
#include "kernel/smp/cpu.hpp"
#include "kernel/sync/guard.hpp"
#include "kernel/sync/spinlock.hpp"

namespace arch::smp {

namespace {

namespace ksmp = kernel::smp;

// One shootdown at a time (g_lock): the range is written before any
// target's pending flag is set (release) and read by the target after it
// saw its flag (acquire); the target clears its flag when done. An NMI
// handler takes no lock: it only reads the range and writes its own flag.
kernel::Spinlock g_lock;
VirtRange g_range;
u32 g_pending[kMaxCpus];
u64 g_count = 0;  // under g_lock

// Set once by the CPU that stops the others; never cleared.
bool g_stopping = false;
u32 g_stopped = 0;  // CPUs that obeyed

constexpr u64 kStopWaitUs = 100'000;

// NMIs sent to each CPU by send_nmi(), and those its handler accounted for
// (take_sent_nmi). Written by senders and by the target's NMI handler:
// atomics, no lock.
u32 g_nmis_sent[kMaxCpus];
u32 g_nmis_taken[kMaxCpus];

}  // namespace

bool send_nmi(u32 index) {
    if (index >= kMaxCpus) return false;
    __atomic_fetch_add(&g_nmis_sent[index], 1, __ATOMIC_ACQ_REL);
    return lapic::send_ipi(ksmp::cpu(index).apic_id, lapic::Delivery::Nmi, 0);
}

bool take_sent_nmi() {
    const u32 self = ksmp::current_index();
    u32 taken = __atomic_load_n(&g_nmis_taken[self], __ATOMIC_RELAXED);
    // Only this CPU's NMI handler writes g_nmis_taken[self]; NMIs do not nest.
    if (taken == __atomic_load_n(&g_nmis_sent[self], __ATOMIC_ACQUIRE)) return false;
    __atomic_store_n(&g_nmis_taken[self], taken + 1, __ATOMIC_RELAXED);
    return true;
}

void shoot_down(VirtRange range) {
    // Before the Smp phase there is no other CPU (and no this_cpu()).
    const u32 count = ksmp::online_count();
    if (count <= 1 || range.empty()) return;
    const kernel::IrqSaveSpinlockGuard guard(g_lock);
    const u32 self = ksmp::this_cpu().index;
    g_range = range;
    for (u32 i = 0; i < count; ++i) {
        if (i == self) continue;
        __atomic_store_n(&g_pending[i], 1, __ATOMIC_RELEASE);
        if (!send_nmi(i))
            kernel::panic("smp: the TLB shootdown NMI to CPU {} (APIC ID {}) was not sent", i,
                          ksmp::cpu(i).apic_id);
    }
    Timeout timeout(kShootdownTimeoutUs);
    for (u32 i = 0; i < count; ++i) {
        while (__atomic_load_n(&g_pending[i], __ATOMIC_ACQUIRE) != 0) {
            if (timeout.expired())
                kernel::panic(
                    "smp: CPU {} (APIC ID {}) did not answer a TLB shootdown within {} ms", i,
                    ksmp::cpu(i).apic_id, kShootdownTimeoutUs / 1000);
            pause();
        }
    }
    ++g_count;
}

bool handle_nmi_request() {
    if (ksmp::online_count() <= 1) return false;
    if (__atomic_load_n(&g_stopping, __ATOMIC_ACQUIRE)) {
        __atomic_fetch_add(&g_stopped, 1, __ATOMIC_ACQ_REL);
        halt_forever();  // NMIs stay blocked: this handler never returns
    }
    const u32 self = ksmp::this_cpu().index;
    if (__atomic_load_n(&g_pending[self], __ATOMIC_ACQUIRE) == 0) return false;
    paging::invalidate_local(g_range);
    __atomic_store_n(&g_pending[self], 0, __ATOMIC_RELEASE);
    return true;
}

u64 shootdown_count() {
    const kernel::IrqSaveSpinlockGuard guard(g_lock);
    return g_count;
}

}  // namespace arch::smp

namespace arch {

void stop_other_cpus() {
    const u32 count = kernel::smp::online_count();
    if (count <= 1) return;
    __atomic_store_n(&smp::g_stopping, true, __ATOMIC_RELEASE);
    const u32 self = kernel::smp::this_cpu().index;
    for (u32 i = 0; i < count; ++i)
        if (i != self) (void)smp::send_nmi(i);
    // Briefly: the report should not interleave with a CPU still printing,
    // but a CPU that does not stop must not keep the report from coming.
    Timeout timeout(smp::kStopWaitUs);
    while (__atomic_load_n(&smp::g_stopped, __ATOMIC_ACQUIRE) + 1 < count && !timeout.expired())
        pause();
}

}  // namespace arch
