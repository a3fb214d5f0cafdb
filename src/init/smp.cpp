#include "init/smp.hpp"

#include "arch/arch.hpp"
#include "arch/setup.hpp"
#include "kernel/log/log.hpp"
#include "kernel/smp/call.hpp"
#include "kernel/smp/cpu.hpp"
#include "kernel/smp/cpu_selection.hpp"
#include "kernel/smp/per_cpu.hpp"
#include "kernel/smp/tsc_sync.hpp"
#include "kernel/time/clock.hpp"
#include "lib/format/format.hpp"

namespace init {

namespace {

namespace smp = kernel::smp;

// An AP has this long from INIT to the kernel. Under TCG each vCPU is a
// host thread that may wait for a busy host core: generous, yet bounded.
constexpr u64 kStartTimeoutUs = 2'000'000;

arch::ApStartFault ap_fault(kernel::options::Fault fault) {
    switch (fault) {
        case kernel::options::Fault::ApSlowStart:
            return arch::ApStartFault::HoldLogLock;
        case kernel::options::Fault::ApStuckStart:
            return arch::ApStartFault::Stall;
        case kernel::options::Fault::ApLateEntry:
            return arch::ApStartFault::LateEntry;
        case kernel::options::Fault::ApOtherPat:
            return arch::ApStartFault::OtherPat;
        case kernel::options::Fault::PerCpuMemory:  // not the start's: start_other_cpus
        case kernel::options::Fault::None:
            break;
    }
    return arch::ApStartFault::None;
}

static_assert(kernel::options::kMaxCpusOption == arch::kMaxCpus,
              "cpus= accepts up to the most CPUs Keel runs on");

enum class Started : u8 {
    Yes,
    No,         // skipped: its place is free for the next one
    Absent,     // the same, and it never reached the kernel: maybe not there at all
    Abandoned,  // left running: no further CPU may start
};

// After this many CPUs in a row never reached the kernel, the MADT is taken to list
// CPUs that are not there (firmware that lists every socket's possible
// CPUs as enabled), and the rest are not tried: each costs
// kStartTimeoutUs, and 254 such entries would hold the boot 8 minutes.
constexpr u32 kMostAbsentCpus = 3;

// An abandoned CPU keeps its index while it may still be running (indexes
// of online CPUs are dense).
Started start_one(const kernel::acpi::Cpu& entry, kernel::options::Fault fault) {
    smp::Cpu* block = smp::reserve_cpu(entry.apic_id);
    // The selection keeps within arch::kMaxCpus, which is the blocks'
    // count: none missing is a bug, said in words.
    if (block == nullptr) {
        kernel::log::error("smp: CPU with APIC ID {} not started: no per-CPU block is left",
                           entry.apic_id);
        return Started::No;
    }
    const Result<void, arch::CpuStartError> started = arch::start_cpu(
        entry.apic_id, block->index, smp::ap_main, block, kStartTimeoutUs, ap_fault(fault));
    if (!started && started.error() == arch::CpuStartError::Abandoned) {
        kernel::log::warn(
            "smp: CPU with APIC ID {} skipped: {} ({} s); it is left running, not reset (it may "
            "hold a lock), and no further CPUs are started",
            entry.apic_id, arch::describe(started.error()), arch::kApSetupTimeoutUs / 1'000'000);
        return Started::Abandoned;
    }
    if (!started) {
        smp::release_cpu(*block);
        kernel::log::warn("smp: CPU with APIC ID {} skipped: {}", entry.apic_id,
                          arch::describe(started.error()));
        return started.error() == arch::CpuStartError::Timeout ? Started::Absent : Started::No;
    }
    // ap_main marks it online; the start returned once it no longer needed
    // the trampoline, possibly just before that.
    while (smp::online_count() <= block->index) arch::pause();
    return Started::Yes;
}

// One line for the CPUs the limit left off, however many: a request
// (cpus=) is information, Keel's own limit a warning.
void report_left(const smp::CpuSelection& selection) {
    if (selection.left_count() == 0) return;
    kfmt::Buffer<256> line;
    kfmt::Sink sink(line);
    selection.describe_left(sink);
    if (selection.limited_by_option())
        kernel::log::info("smp: {}", line.view());
    else
        kernel::log::warn("smp: {}", line.view());
}

// Each AP's counter against the boot CPU's (kernel/smp/tsc_sync.hpp), one
// line when all agree, a warning naming each that does not.
void check_tsc() {
    const u32 n = smp::online_count();
    if (n < 2) return;
    if (!arch::timestamp_counter_present()) {
        // The clock's stand-in is one counter in the chipset, read by all.
        if (arch::timestamp_rate() != 0)
            kernel::log::info("smp: no TSC to compare: every CPU's clock reads {}'s counter",
                              arch::timestamp_rate_source());
        else
            kernel::log::info("smp: no TSC to compare, and no clock");
        return;
    }
    // Monotonic across CPUs whatever the check finds: a skew under its
    // bound still exists, and a skew found cannot be corrected exactly.
    kernel::time::keep_monotonic_across_cpus(true);
    const u64 hz = kernel::time::counter_hz();
    bool all = true;
    for (u32 i = 1; i < n; ++i) {
        const kernel::smp::TscSkew skew = smp::check_tsc(i);
        if (!skew.measured) {
            kernel::log::warn("smp: CPU {} did not answer the TSC check", i);
            all = false;
        } else if (!skew.synchronised) {
            const u64 ticks =
                skew.skew < 0 ? static_cast<u64>(-skew.skew) : static_cast<u64>(skew.skew);
            kernel::log::warn(
                "smp: CPU {}'s TSC is {} ticks ({} us) {} the boot CPU's: not synchronised; the "
                "clock stays monotonic by its clamp",
                i, ticks, hz == 0 ? 0 : ticks * 1'000'000 / hz,
                skew.skew < 0 ? "behind" : "ahead of");
            all = false;
        }
    }
    if (all) kernel::log::info("smp: TSC synchronised across {} CPUs", n);
}

// The APIC IDs the online line names; beyond them, "... and N more".
constexpr u32 kIdsShown = 64;

void report(u64 start_us) {
    const u32 n = smp::online_count();
    const u32 shown = n < kIdsShown ? n : kIdsShown;
    char ids[12 * kIdsShown + 24] = {};  // " 4294967295" each at most, the tail
    usize used = 0;
    for (u32 i = 0; i < shown; ++i) {
        used += kfmt::format_to_n(ids + used, sizeof(ids) - used, "{}{}", i == 0 ? "" : " ",
                                  smp::cpu(i).apic_id);
        if (used >= sizeof(ids)) used = sizeof(ids) - 1;
    }
    if (shown < n) {
        used += kfmt::format_to_n(ids + used, sizeof(ids) - used, " ... and {} more", n - shown);
        if (used >= sizeof(ids)) used = sizeof(ids) - 1;
    }
    kernel::log::info("smp: {} CPU{} online (APIC ID{} {}) in {} ms", n, n == 1 ? "" : "s",
                      n == 1 ? "" : "s", ktl::string_view{ids, used},
                      (arch::microseconds_since_boot() - start_us) / 1000);
}

}  // namespace

void start_other_cpus(const kernel::acpi::Platform* platform, u32 most_cpus,
                      kernel::options::Fault fault) {
    const u64 start_us = arch::microseconds_since_boot();
    smp::init_boot_cpu(arch::current_apic_id());
    if (platform == nullptr || platform->madt_state != kernel::acpi::Found::Parsed) {
        kernel::log::info("smp: no MADT in the ACPI tables: the other CPUs cannot be found");
        report(start_us);
        return;
    }
    const kernel::acpi::Madt& madt = platform->madt;
    smp::CpuSelection selection(arch::kMaxCpus, most_cpus);
    const bool starting = madt.enabled_cpus() > 1 && selection.limit() > 1;
    if (starting) {
        const Result<void, arch::CpuStartError> prepared = arch::prepare_cpu_start();
        if (!prepared) {
            kernel::log::warn("smp: the other CPUs cannot be started: {}",
                              arch::describe(prepared.error()));
            report(start_us);
            return;
        }
        // The BSP's own ID now that its local APIC is mapped.
        smp::cpu(0).apic_id = arch::current_apic_id();
        // Per-CPU state for every CPU that will start, before any does
        // (kernel/smp/per_cpu.hpp); those the heap has none for are left
        // off and named with the others.
        const u32 wanted = selection.count_online({madt.cpus, madt.cpu_count}, smp::cpu(0).apic_id);
        const u32 refuse_from = fault == kernel::options::Fault::PerCpuMemory ? 2 : arch::kMaxCpus;
        const u32 areas = smp::allocate_per_cpu_areas(wanted, refuse_from);
        kernel::log::debug("smp: per-CPU state: {} bytes per CPU, {} of {} CPUs' from the heap",
                           smp::per_cpu_area_bytes(), areas - 1, wanted - 1);
        selection.limit_to_memory(areas, smp::per_cpu_area_bytes());
    }
    // Every entry is looked at, cpus=1 included, so that the CPUs left off
    // are named.
    u32 absent = 0;
    u32 not_tried = 0;
    for (usize i = 0; i < madt.cpu_count; ++i) {
        const kernel::acpi::Cpu& entry = madt.cpus[i];
        // Disabled ones (online-capable: hot-pluggable) are not there now.
        if (selection.choose(entry, smp::cpu(0).apic_id) != smp::CpuChoice::Start) continue;
        if (absent == kMostAbsentCpus) {
            selection.start_failed();
            ++not_tried;
            continue;
        }
        const Started started = start_one(entry, fault);
        if (started == Started::Abandoned) break;
        // In a row: CPUs that did start show the table lists real ones.
        absent = started == Started::Absent ? absent + 1 : 0;
        if (started == Started::No || started == Started::Absent) selection.start_failed();
        // An injected fault hits the first AP only, so that the next one
        // shows what the start does after it.
        fault = kernel::options::Fault::None;
    }
    if (starting) arch::finish_cpu_start();
    if (not_tried != 0)
        kernel::log::warn(
            "smp: {} more CPU{} the MADT lists not started: {} did not reach the kernel, so the "
            "table is taken to list CPUs that are not there",
            not_tried, not_tried == 1 ? "" : "s", absent);
    report(start_us);
    report_left(selection);
    check_tsc();
}

}  // namespace init
