// Every application processor runs with the boot CPU's protections
// (`test=smp2_` on several CPUs, tests/qemu/smp_locks_timers_tests.cmake): each CPU
// reads its own control registers and MSRs in a cross-CPU call, and the
// bits the kernel sets (write protection, NX, SMEP, SMAP, UMIP, global
// pages, the PAT's memory types) must match CPU 0's. A CPU started
// without one would run with a hole only its own accesses can show.
#include "arch/x86_64/bits.h"
#include "arch/x86_64/cpu.hpp"
#include "kernel/log/log.hpp"
#include "kernel/smp/call.hpp"
#include "kernel/smp/cpu.hpp"
#include "kernel/test/ktest.hpp"

// The stack protector's guard (arch/x86_64/runtime/stack_protector.cpp):
// one global, seeded by the boot CPU before the others start.
extern "C" uptr __stack_chk_guard;  // NOLINT(bugprone-reserved-identifier)

namespace {

namespace smp = kernel::smp;

constexpr u64 kCr0Bits = CR0_PG | CR0_WP;
constexpr u64 kCr4Bits = CR4_PAE | CR4_PGE | CR4_UMIP | CR4_SMEP | CR4_SMAP;
constexpr u64 kEferBits = EFER_LME | EFER_NXE;

struct CpuState {
    u64 cr0;
    u64 cr4;
    u64 efer;
    u64 pat;
    uptr guard;
    bool read;
};

void read_state(void* arg) {
    CpuState& s = static_cast<CpuState*>(arg)[smp::this_cpu().index];
    s.cr0 = arch::read_cr0() & kCr0Bits;
    s.cr4 = arch::read_cr4() & kCr4Bits;
    s.efer = arch::rdmsr(MSR_EFER) & kEferBits;
    s.pat = arch::rdmsr(MSR_PAT);
    s.guard = __atomic_load_n(&__stack_chk_guard, __ATOMIC_RELAXED);
    s.read = true;
}

KTEST(smp2_every_cpu_has_the_boot_cpu_protections) {
    const u32 cpus = smp::online_count();
    if (cpus < 2) {
        kernel::log::info(
            "# smp2_every_cpu_has_the_boot_cpu_protections: one CPU online: "
            "not tested (skipped)");
        return;
    }
    // On the heap, for the CPUs online: 256 CPUs' states (12 KiB) would
    // overflow the 16 KiB stack the tests run on, and a static array
    // would cost .bss for CPUs the machine does not have.
    auto* const state = new CpuState[cpus]{};
    smp::call_on_all(read_state, state);
    const CpuState& boot = state[0];
    // What the boot CPU has, whatever the CPU model offers: WP and NX always.
    KEXPECT(boot.cr0 & CR0_WP);
    KEXPECT(boot.efer & EFER_NXE || !(arch::cpuid(0x80000001).edx & CPUID_EXT_EDX_NX));
    for (u32 i = 1; i < cpus; ++i) {
        const CpuState& s = state[i];
        KEXPECT(s.read);
        KEXPECT(s.cr0 == boot.cr0);
        KEXPECT(s.cr4 == boot.cr4);
        KEXPECT(s.efer == boot.efer);
        KEXPECT(s.pat == boot.pat);
        KEXPECT(s.guard == boot.guard);
        if (s.cr0 != boot.cr0 || s.cr4 != boot.cr4 || s.efer != boot.efer || s.pat != boot.pat)
            kernel::log::info(
                "# CPU {}: CR0 {:#x} CR4 {:#x} EFER {:#x} PAT {:#x}; CPU 0: CR0 "
                "{:#x} CR4 {:#x} EFER {:#x} PAT {:#x}",
                i, s.cr0, s.cr4, s.efer, s.pat, boot.cr0, boot.cr4, boot.efer, boot.pat);
    }
    kernel::log::info("smp test: {} CPUs share CR0 {:#x} CR4 {:#x} EFER {:#x} PAT {:#x}", cpus,
                      boot.cr0, boot.cr4, boot.efer, boot.pat);
    delete[] state;
}

}  // namespace
