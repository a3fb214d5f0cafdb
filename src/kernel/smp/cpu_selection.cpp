#include "kernel/smp/cpu_selection.hpp"

#include "lib/format/format.hpp"

namespace kernel::smp {

CpuSelection::CpuSelection(u32 capacity, u32 requested)
    : capacity_(capacity),
      limit_(requested != 0 && requested < capacity ? requested : capacity),
      by_option_(requested != 0 && requested < capacity) {}

CpuChoice CpuSelection::choose(const acpi::Cpu& entry, u32 boot_apic_id) {
    if (entry.apic_id == boot_apic_id) return CpuChoice::Boot;
    if (!entry.enabled) return CpuChoice::Disabled;
    if (in_use_ >= limit_) {
        if (left_ < kIdsKept) left_ids_[left_] = entry.apic_id;
        ++left_;
        return CpuChoice::OverLimit;
    }
    ++in_use_;
    return CpuChoice::Start;
}

void CpuSelection::start_failed() {
    if (in_use_ > 1) --in_use_;
}

u32 CpuSelection::count_online(ktl::span<const acpi::Cpu> cpus, u32 boot_apic_id) const {
    CpuSelection dry = *this;
    for (const acpi::Cpu& entry : cpus) (void)dry.choose(entry, boot_apic_id);
    return dry.in_use_;
}

void CpuSelection::limit_to_memory(u32 cpus, usize bytes_each) {
    if (cpus == 0) cpus = 1;  // the boot CPU runs whatever happens
    if (cpus >= limit_) return;
    limit_ = cpus;
    by_option_ = false;
    by_memory_ = true;
    area_bytes_ = bytes_each;
}

void CpuSelection::describe_left(kfmt::Sink& out) const {
    if (left_ == 0) return;
    const bool one = left_ == 1;
    kfmt::format_to(out, "{} CPU{} not started (APIC ID{}", left_, one ? "" : "s", one ? "" : "s");
    for (const u32 id : left_ids()) kfmt::format_to(out, " {}", id);
    if (left_ > kIdsKept) kfmt::format_to(out, " ... and {} more", left_ - kIdsKept);
    if (by_memory_)
        kfmt::format_to(out, "): no memory for {} per-CPU state ({} bytes each)",
                        one ? "its" : "their", area_bytes_);
    else if (by_option_)
        kfmt::format_to(out, "): cpus={} on the command line", limit_);
    else
        kfmt::format_to(out, "): Keel runs on at most {} CPUs", capacity_);
}

}  // namespace kernel::smp
