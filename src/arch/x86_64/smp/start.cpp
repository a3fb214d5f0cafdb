// Starting application processors: the trampoline frame and its page
// tables, INIT-SIPI-SIPI with the SDM's delays (Vol. 3A, 9.4.4.1), and the
// AP's first steps in the kernel (its CPU state made the BSP's, its own
// tables and stacks). Design: docs/smp.md.
#include "arch/arch.hpp"
#include "arch/setup.hpp"
#include "arch/x86_64/apic/local_apic.hpp"
#include "arch/x86_64/apic/local_timer.hpp"
#include "arch/x86_64/apic/timer_math.hpp"
#include "arch/x86_64/bits.h"
#include "arch/x86_64/cpu.hpp"
#include "arch/x86_64/cpu_signature.hpp"
#include "arch/x86_64/interrupts/cpu_tables.hpp"
#include "arch/x86_64/interrupts/interrupt_table.hpp"
#include "arch/x86_64/smp/ap_start_state.hpp"
#include "kernel/log/log.hpp"
#include "kernel/mm/frame_allocator.hpp"
#include "kernel/smp/call.hpp"
#include "lib/ktl/optional.hpp"

extern "C" const u8 ap_trampoline_start[], ap_trampoline_32[], ap_trampoline_64[],
    ap_trampoline_end[];

namespace arch {

namespace {

namespace mm = kernel::mm;

// What an AP reads in the kernel (through the trampoline's copy of the
// higher half): the BSP's CPU state to adopt, and what to run.
// The AP copies it before it says it has entered: the next CPU's start may
// then reuse it.
struct ApStart {
    u64 cr0, cr3, cr4, efer, pat;
    u32 index;
    ApStartFault fault;
    void (*main)(void*);
    void* arg;
};

// Each AP index's start (ap_start_state.hpp). Only the boot CPU and the AP
// being started as `index` write entry `index`.
ApStartState g_ap_state[kMaxCpus];

// This CPU's APIC ID from CPUID, which needs no local APIC set up: the
// x2APIC ID (leaf 0Bh, 32 bits) where the CPU reports one, else the initial
// 8-bit ID. The MADT names CPUs by these IDs.
u32 own_apic_id() {
    if (cpuid(CPUID_LEAF_MAX).eax >= CPUID_LEAF_TOPOLOGY) {
        const CpuidResult topology = cpuid(CPUID_LEAF_TOPOLOGY, 0);
        if (topology.ebx != 0) return topology.edx;
    }
    return cpuid(CPUID_LEAF_FEATURES).ebx >> 24;
}

// This processor's need for the 10 ms between INIT and SIPI
// (cpu_signature.hpp); the APs are of the boot CPU's kind. Said once at
// debug level, with what it was decided from.
bool init_wait_needed() {
    const CpuidResult v = cpuid(CPUID_LEAF_MAX);
    const CpuVendor vendor = decode_vendor(v.ebx, v.edx, v.ecx);
    const u32 family = decode_signature(cpuid(CPUID_LEAF_FEATURES).eax).family;
    const bool wait = needs_init_wait(vendor.view(), family);
    kernel::log::debug("smp: {} between INIT and startup IPI ({} family {:#x})",
                       wait ? "10 ms" : "no wait", vendor.view(), family);
    return wait;
}

// Decided once, by prepare_cpu_start.
bool g_init_wait = true;

constexpr u64 kPresentWritable = PTE_PRESENT | PTE_WRITABLE;
constexpr u64 kAddressMask = 0x000F'FFFF'FFFF'F000ULL;
constexpr u8 kTablesCount = 4;  // PML4, PDPT, PD, PT

ApStart g_start;
ktl::optional<PhysAddr> g_page;
PhysAddr g_tables[kTablesCount];
u8 g_tables_taken = 0;
u8 g_wake_vector = 0;

// A wake-up IPI ends an AP's HLT, and its idle loop runs the call outside
// any interrupt; the boot CPU has no such loop, so the handler runs it
// there (kernel/smp/call.hpp).
void on_wake([[maybe_unused]] InterruptFrame& frame, [[maybe_unused]] void* context) {
    lapic::eoi();
    if (kernel::smp::current_index() == 0) (void)kernel::smp::run_posted_call();
}
constexpr InterruptHandler kWake{"CPU wake-up IPI", on_wake, nullptr};

// A frame the trampoline's 32-bit code can reach: the low zone first.
ktl::optional<PhysAddr> low_frame() {
    if (auto f = mm::allocate_frames(0, mm::Zone::Low)) return f;
    return ktl::nullopt;
}

u64* table(PhysAddr phys) { return phys_to_virt<u64>(phys); }

template <typename T>
void put(u32 offset, T value) {
    __builtin_memcpy(phys_to_virt<u8>(*g_page) + offset, &value, sizeof(value));
}

// An AP's timer runs on the boot CPU's calibration: within this much of it,
// its ticks are as long as the boot CPU's.
constexpr u64 kTimerTolerancePercent = 5;

void report_timer(u32 index, const local_timer::ApTimer& t) {
    if (t.error != nullptr) {
        kernel::log::warn("smp: CPU {} runs no tick: {}", index, t.error);
    } else if (t.tsc_deadline) {
        kernel::log::debug("smp: CPU {} timer counts the TSC (TSC-deadline mode)", index);
    } else {
        const u64 ratio = apic::ratio_hundredths(t.timer_hz, t.boot_hz);
        if (apic::rates_agree(t.timer_hz, t.boot_hz, kTimerTolerancePercent))
            kernel::log::debug("smp: CPU {} timer matches the BSP calibration ({}.{:02}x)", index,
                               ratio / 100, ratio % 100);
        else
            kernel::log::warn(
                "smp: CPU {} timer runs at {}.{:02}x the BSP calibration ({} Hz, the BSP's {} Hz): "
                "its ticks are off by as much",
                index, ratio / 100, ratio % 100, t.timer_hz, t.boot_hz);
    }
}

// The kernel's higher half into the trampoline's PML4: the same lower-level
// tables, so later mappings below an entry are shared, but an entry made
// after this copy (the stack area's first stack) is not: start_cpu copies
// again once the AP's stacks exist.
void copy_higher_half() {
    const u64* kernel_pml4 = table(PhysAddr{read_cr3() & kAddressMask});
    u64* pml4 = table(g_tables[0]);
    for (usize i = PAGE_TABLE_ENTRIES / 2; i < PAGE_TABLE_ENTRIES; ++i) pml4[i] = kernel_pml4[i];
}

// The injected faults (kernel option fault=): setup that takes longer than
// the boot CPU's bounds, with and without a lock held.
void hold_log_lock_3s(void* /*unused*/) { spin_for_us(3'000'000); }
void inject(ApStartFault fault) {
    if (fault == ApStartFault::HoldLogLock) kernel::log::with_log_held(hold_log_lock_3s, nullptr);
    if (fault == ApStartFault::Stall) spin_for_us(kApSetupTimeoutUs + 3'000'000);
}

[[noreturn]] void ap_entry(ApStart* shared) {
    const ApStart s = *shared;
    // The trampoline's tables hold only a copy of the higher half: the
    // kernel's own come first. From here on the trampoline, its tables and
    // `shared` may go to the next CPU.
    write_cr3(s.cr3);
    // Too late (the boot CPU gave up and is sending INIT), or not the CPU
    // this start is for (a late one of an earlier start): touch nothing.
    const u32 apic_id = own_apic_id();
    if (s.fault == ApStartFault::LateEntry) spin_for_us(3'000'000);
    if (!g_ap_state[s.index].advance(apic_id, ApState::Waiting, ApState::Entered)) halt_forever();
    wrmsr(MSR_EFER, s.efer);
    // The PAT checked on every CPU it runs on: a CPU that does not keep the
    // boot CPU's layout would give a write-combining mapping another type
    // there. (fault=ap-other-pat writes entry 4 as uncached instead.)
    wrmsr(MSR_PAT, s.fault == ApStartFault::OtherPat ? s.pat & ~(u64{0xFF} << 32) : s.pat);
    const u64 pat = rdmsr(MSR_PAT);
    write_cr4(s.cr4);
    write_cr0(s.cr0);
    // Its per-CPU block before anything that may take a lock: a debug
    // lock records its holder's index from there (kernel/sync/lock_debug).
    // Loading its GDT loads GS with the null selector, which clears the
    // base: set again right after.
    set_cpu_local(s.arg);
    init_ap_cpu_tables(s.index);
    set_cpu_local(s.arg);
    if (pat != s.pat)
        kernel::log::warn(
            "smp: CPU {} PAT reads back {:#x}, not the boot CPU's {:#x}: its write-combining "
            "mappings get another memory type",
            s.index, pat, s.pat);
    lapic::init_this_cpu();
    report_timer(s.index, local_timer::start_this_ap());
    inject(s.fault);
    if (!g_ap_state[s.index].advance(apic_id, ApState::Entered, ApState::Started)) {
        // Given up on: it holds no lock here, and its index is not online.
        kernel::log::warn("smp: CPU {} finished its setup after the boot CPU gave up on it: halted",
                          s.index);
        halt_forever();
    }
    s.main(s.arg);
    halt_forever();
}

}  // namespace

ktl::string_view describe(CpuStartError error) {
    switch (error) {
        case CpuStartError::NoLocalApic:
            return "no usable local APIC";
        case CpuStartError::NoLowMemory:
            return "no free frame below 1 MiB for the trampoline";
        case CpuStartError::NoVector:
            return "no free interrupt vector for the wake-up IPI";
        case CpuStartError::NotAccepted:
            static_assert(lapic::kIpiSendTimeoutUs == 100'000, "the words say 100 ms");
            return "this CPU's local APIC did not finish sending the INIT or startup IPI "
                   "within 100 ms (its delivery status stayed \"send pending\")";
        case CpuStartError::Timeout:
            return "it did not reach the kernel in time";
        case CpuStartError::NoStackMemory:
            return "no memory for its kernel and IST stacks";
        case CpuStartError::Abandoned:
            return "it reached the kernel but did not finish its setup in time";
    }
    return "unknown";
}

Result<void, CpuStartError> prepare_cpu_start() {
    if (!lapic::ready()) return CpuStartError::NoLocalApic;
    g_init_wait = init_wait_needed();
    if (g_wake_vector == 0) {
        const Result<u8, VectorError> a = interrupt_table().allocate(kWake, 0xF0, 0xFE);
        if (!a) return CpuStartError::NoVector;
        g_wake_vector = *a;
    }
    g_page = low_frame();
    if (!g_page) return CpuStartError::NoLowMemory;
    for (; g_tables_taken < kTablesCount; ++g_tables_taken) {
        ktl::optional<PhysAddr> f = low_frame();
        if (!f) {
            finish_cpu_start();
            return CpuStartError::NoLowMemory;
        }
        g_tables[g_tables_taken] = *f;
        __builtin_memset(table(*f), 0, PAGE_SIZE);
    }
    // The kernel's higher half, shared (the same lower-level tables), and
    // this one page identity-mapped for the instructions that turn paging on.
    const u64 kernel_cr3 = read_cr3();
    u64* pml4 = table(g_tables[0]);
    copy_higher_half();
    pml4[0] = g_tables[1].value() | kPresentWritable;
    table(g_tables[1])[0] = g_tables[2].value() | kPresentWritable;
    table(g_tables[2])[0] = g_tables[3].value() | kPresentWritable;
    table(g_tables[3])[g_page->value() / PAGE_SIZE] = g_page->value() | kPresentWritable;

    const u32 base = static_cast<u32>(g_page->value());
    const auto size = static_cast<usize>(ap_trampoline_end - ap_trampoline_start);
    __builtin_memcpy(phys_to_virt<u8>(*g_page), ap_trampoline_start, size);
    put<u16>(TRAMPOLINE_GDTR, TRAMPOLINE_END - TRAMPOLINE_GDT - 1);
    put<u32>(TRAMPOLINE_GDTR + 2, base + TRAMPOLINE_GDT);
    put<u32>(TRAMPOLINE_FAR32, base + static_cast<u32>(ap_trampoline_32 - ap_trampoline_start));
    put<u16>(TRAMPOLINE_FAR32 + 4, TRAMPOLINE_CODE32);
    put<u32>(TRAMPOLINE_FAR64, base + static_cast<u32>(ap_trampoline_64 - ap_trampoline_start));
    put<u16>(TRAMPOLINE_FAR64 + 4, GDT_KERNEL_CODE);
    put<u32>(TRAMPOLINE_CR3, static_cast<u32>(g_tables[0].value()));
    const u64 efer = rdmsr(MSR_EFER);
    put<u32>(TRAMPOLINE_EFER, static_cast<u32>(EFER_LME | (efer & EFER_NXE)));
    put<u64>(TRAMPOLINE_ENTRY, reinterpret_cast<u64>(&ap_entry));
    put<u64>(TRAMPOLINE_ARG, reinterpret_cast<u64>(&g_start));

    g_start.cr0 = read_cr0();
    g_start.cr3 = kernel_cr3;
    g_start.cr4 = read_cr4();
    g_start.efer = efer & (EFER_SCE | EFER_LME | EFER_NXE);
    g_start.pat = rdmsr(MSR_PAT);
    return {};
}

Result<void, CpuStartError> start_cpu(u32 apic_id, u32 index, void (*main)(void*), void* arg,
                                      u64 timeout_us, ApStartFault fault) {
    // The trampoline's first push lands on this stack, before the AP loads
    // the kernel's CR3.
    if (!allocate_ap_stacks(index)) return CpuStartError::NoStackMemory;
    copy_higher_half();
    put<u64>(TRAMPOLINE_STACK, ap_kernel_stack_top(index));
    g_start.index = index;
    g_start.fault = fault;
    g_start.main = main;
    g_start.arg = arg;
    ApStartState& state = g_ap_state[index];
    state.begin(apic_id);
    const u8 vector = static_cast<u8>(g_page->value() / PAGE_SIZE);
    auto arrived = [&state, apic_id] { return !state.is(apic_id, ApState::Waiting); };

    // INIT, 10 ms on processors that need it, SIPI, 200 us, SIPI again if
    // it has not arrived yet.
    if (!lapic::send_ipi(apic_id, lapic::Delivery::Init, 0)) return CpuStartError::NotAccepted;
    if (g_init_wait) spin_for_us(10'000);
    for (int sipi = 0; sipi < 2 && !arrived(); ++sipi) {
        if (!lapic::send_ipi(apic_id, lapic::Delivery::Startup, vector))
            return CpuStartError::NotAccepted;
        spin_for_us(200);
    }
    Timeout arrival(timeout_us);
    while (!arrived()) {
        if (arrival.expired() && state.advance(apic_id, ApState::Waiting, ApState::Abandoned)) {
            // Parked again (wait-for-SIPI), so that it cannot wake later
            // into the trampoline set up for the next CPU. It has touched
            // nothing of the kernel's: it halts if it gets there first.
            (void)lapic::send_ipi(apic_id, lapic::Delivery::Init, 0);
            return CpuStartError::Timeout;
        }
        pause();
    }
    // In the kernel: from here it may hold a lock (the log's, the heap's),
    // so a reset could leave that lock held for ever. It gets its own
    // bound, and is left running if it misses it.
    Timeout setup(kApSetupTimeoutUs);
    while (!state.is(apic_id, ApState::Started)) {
        if (setup.expired() && state.advance(apic_id, ApState::Entered, ApState::Abandoned))
            return CpuStartError::Abandoned;
        pause();
    }
    return {};
}

void finish_cpu_start() {
    if (g_page) mm::free_frames(*g_page, 0);
    g_page = ktl::nullopt;
    for (u8 i = 0; i < g_tables_taken; ++i) mm::free_frames(g_tables[i], 0);
    g_tables_taken = 0;
}

void set_cpu_local(void* block) { wrmsr(MSR_GS_BASE, reinterpret_cast<u64>(block)); }

u32 current_apic_id() {
    if (lapic::ready()) return lapic::current_id();
    return own_apic_id();
}

void wake_cpu(u32 apic_id) {
    if (g_wake_vector != 0) (void)lapic::send_ipi(apic_id, lapic::Delivery::Fixed, g_wake_vector);
}

}  // namespace arch
