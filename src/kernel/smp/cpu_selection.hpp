// Which of the CPUs the MADT lists the boot CPU starts: every enabled one,
// in the MADT's order, until the limit is reached, the boot CPU counted.
// The limit is Keel's (arch::kMaxCpus, one per xAPIC ID; an x2APIC machine
// may list more) or the command line's (cpus=N), whichever is lower. The
// CPUs left over are counted and the first of them kept by APIC ID, so
// that one line can name them however many there are.
//
// Portable (host-tested in tests/host/cpu_selection_test.cpp); used by the
// SMP phase (src/init/smp.cpp), on the boot CPU only.
#pragma once

#include "kernel/acpi/madt.hpp"
#include "lib/format/sink.hpp"
#include "lib/ktl/span.hpp"
#include "lib/ktl/types.hpp"

namespace kernel::smp {

enum class CpuChoice : u8 {
    Start,      // enabled, and the limit leaves room for it
    Boot,       // the boot CPU itself: running already
    Disabled,   // not enabled (a hot-plug slot, or unusable): not there now
    OverLimit,  // enabled, but the limit is reached
};

class CpuSelection {
public:
    // The APIC IDs a line names, at most; the rest are counted.
    static constexpr usize kIdsKept = 16;

    // `capacity`: the most CPUs Keel runs on (arch::kMaxCpus); `requested`:
    // cpus=N from the command line, 0 when not given.
    CpuSelection(u32 capacity, u32 requested);

    // The most CPUs online at once, the boot CPU included.
    [[nodiscard]] u32 limit() const { return limit_; }
    // Whether cpus= set the limit (below Keel's own).
    [[nodiscard]] bool limited_by_option() const { return by_option_; }

    // The verdict for the next MADT entry, taken in the MADT's order; Start
    // counts the CPU as online until start_failed() says otherwise.
    [[nodiscard]] CpuChoice choose(const acpi::Cpu& entry, u32 boot_apic_id);
    // The CPU last chosen did not start: a later one may take its place.
    void start_failed();

    // How many CPUs would be online if every start succeeded, the boot CPU
    // counted: what per-CPU state is allocated for before any starts. A
    // dry run on a copy; this selection is unchanged.
    [[nodiscard]] u32 count_online(ktl::span<const acpi::Cpu> cpus, u32 boot_apic_id) const;
    // Only `cpus` CPUs (the boot CPU counted) got their per-CPU state
    // (`bytes_each`, kernel/smp/per_cpu.hpp): the limit drops to them when
    // lower, and the CPUs left off are named for it, in a warning.
    void limit_to_memory(u32 cpus, usize bytes_each);

    // Enabled CPUs left over by the limit, and the first kIdsKept of them.
    [[nodiscard]] u32 left_count() const { return left_; }
    [[nodiscard]] ktl::span<const u32> left_ids() const {
        return {left_ids_, left_ < kIdsKept ? left_ : kIdsKept};
    }

    // "2 CPUs not started (APIC IDs 2 3): cpus=2 on the command line",
    // "... (APIC IDs 256 257 ... and 30 more): Keel runs on at most 256
    // CPUs" or "...: no memory for their per-CPU state (N bytes each)";
    // nothing when no CPU was left over.
    void describe_left(kfmt::Sink& out) const;

private:
    u32 capacity_;
    u32 limit_;
    bool by_option_;
    bool by_memory_ = false;
    usize area_bytes_ = 0;
    u32 in_use_ = 1;  // the boot CPU
    u32 left_ = 0;
    u32 left_ids_[kIdsKept]{};
};

}  // namespace kernel::smp
