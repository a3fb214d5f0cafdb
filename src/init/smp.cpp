#include "init/smp.hpp"

#include "arch/arch.hpp"
#include "arch/setup.hpp"
#include "kernel/log/log.hpp"
#include "kernel/smp/call.hpp"
#include "kernel/smp/cpu.hpp"
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
        case kernel::options::Fault::None:
            break;
    }
    return arch::ApStartFault::None;
}

// False when no further CPU may start: this one keeps its index while it
// may still be running (indexes of online CPUs are dense).
bool start_one(const kernel::acpi::Cpu& entry, kernel::options::Fault fault) {
    smp::Cpu* block = smp::reserve_cpu(entry.apic_id);
    if (block == nullptr) {
        kernel::log::warn("smp: CPU with APIC ID {} not started: Keel runs on at most {} CPUs",
                          entry.apic_id, arch::kMaxCpus);
        return true;
    }
    const arch::CpuStartError error = arch::start_cpu(entry.apic_id, block->index, smp::ap_main,
                                                      block, kStartTimeoutUs, ap_fault(fault));
    if (error == arch::CpuStartError::Abandoned) {
        kernel::log::warn(
            "smp: CPU with APIC ID {} skipped: {} ({} s); it is left running, not reset (it may "
            "hold a lock), and no further CPUs are started",
            entry.apic_id, arch::describe(error), arch::kApSetupTimeoutUs / 1'000'000);
        return false;
    }
    if (error != arch::CpuStartError::None) {
        smp::release_cpu(*block);
        kernel::log::warn("smp: CPU with APIC ID {} skipped: {}", entry.apic_id,
                          arch::describe(error));
        return true;
    }
    // ap_main marks it online; the start returned once it no longer needed
    // the trampoline, possibly just before that.
    while (smp::online_count() <= block->index) arch::pause();
    return true;
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

void report(u64 start_us) {
    char ids[12 * arch::kMaxCpus] = {};  // " 4294967295" each at most
    usize used = 0;
    for (u32 i = 0; i < smp::online_count(); ++i) {
        used += kfmt::format_to_n(ids + used, sizeof(ids) - used, "{}{}", i == 0 ? "" : " ",
                                  smp::cpu(i).apic_id);
        if (used >= sizeof(ids)) used = sizeof(ids) - 1;
    }
    const u32 n = smp::online_count();
    kernel::log::info("smp: {} CPU{} online (APIC ID{} {}) in {} ms", n, n == 1 ? "" : "s",
                      n == 1 ? "" : "s", ktl::string_view{ids, used},
                      (arch::microseconds_since_boot() - start_us) / 1000);
}

}  // namespace

void start_other_cpus(const kernel::acpi::Platform* platform, kernel::options::Fault fault) {
    const u64 start_us = arch::microseconds_since_boot();
    smp::init_boot_cpu(arch::current_apic_id());
    if (platform == nullptr || platform->madt_state != kernel::acpi::Found::Parsed) {
        kernel::log::info("smp: no MADT in the ACPI tables: the other CPUs cannot be found");
        report(start_us);
        return;
    }
    const kernel::acpi::Madt& madt = platform->madt;
    if (madt.enabled_cpus() > 1) {
        const arch::CpuStartError prepared = arch::prepare_cpu_start();
        if (prepared != arch::CpuStartError::None) {
            kernel::log::warn("smp: the other CPUs cannot be started: {}",
                              arch::describe(prepared));
            report(start_us);
            return;
        }
        // The BSP's own ID now that its local APIC is mapped.
        smp::cpu(0).apic_id = arch::current_apic_id();
        for (usize i = 0; i < madt.cpu_count; ++i) {
            const kernel::acpi::Cpu& entry = madt.cpus[i];
            if (entry.apic_id == smp::cpu(0).apic_id) continue;
            // Disabled but online-capable: hot-pluggable, not present now.
            if (!entry.enabled) continue;
            if (!start_one(entry, fault)) break;
            // An injected fault hits the first AP only, so that the next
            // one shows what the start does after it.
            fault = kernel::options::Fault::None;
        }
        arch::finish_cpu_start();
    }
    report(start_us);
    check_tsc();
}

}  // namespace init
