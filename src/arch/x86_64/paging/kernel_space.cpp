#include "arch/x86_64/paging/kernel_space.hpp"

#include "arch/arch.hpp"
#include "arch/setup.hpp"
#include "arch/x86_64/bits.h"
#include "arch/x86_64/cpu.hpp"
#include "arch/x86_64/direct_map.hpp"
#include "arch/x86_64/paging/mmio_ranges.hpp"
#include "arch/x86_64/paging/paging.hpp"
#include "arch/x86_64/paging/pat.hpp"
#include "arch/x86_64/paging/tlb.hpp"
#include "kernel/boot_state.hpp"
#include "kernel/log/log.hpp"
#include "kernel/smp/cpu.hpp"
#include "kernel/smp/per_cpu.hpp"
#include "kernel/sync/guard.hpp"
#include "kernel/sync/spinlock.hpp"

extern "C" u64 keel_probe_read(const volatile void* address);
extern "C" u64 keel_probe_write(volatile void* address, u8 value);
extern "C" const u8 keel_probe_read_access[], keel_probe_write_access[], keel_probe_fault[];

namespace arch::paging {

namespace {

bool g_pat = false;

// The kernel address-space lock: every edit of the live tables after boot
// (map, unmap, protect) and the MMIO area's ranges. Held with interrupts
// off, so that no handler ever spins on it while its own CPU holds it: a
// handler that frees a mapped heap block (heap_area.cpp) takes it safely.
kernel::Spinlock g_lock;
// 64 free ranges: mappings are given back rarely (probes at boot), and
// neighbours merge, so only a scattered pattern of unmaps could fill it.
MmioRanges<64> g_mmio{kMmioAreaBase, kMmioAreaSize, kMmioGuardBytes};
KernelTlb g_tlb;

// The probe each CPU has armed. Owner: that CPU (only the CPU that armed a
// probe can fault at the probe's instruction), which arms it with
// interrupts off, so no handler runs between arming and the access; two
// CPUs probing at once each get their own result.
struct ArmedProbe {
    bool armed;
    bool faulted;
    u64 error_code;
    u64 address;
};
KEEL_PER_CPU kernel::smp::PerCpu<ArmedProbe> g_probe;
volatile ArmedProbe& this_probe() { return g_probe[kernel::smp::current_index()]; }

template <typename Access>
ProbeResult probe(Access access) {
    const kernel::InterruptSaveGuard interrupts_off;
    volatile ArmedProbe& p = this_probe();
    p.faulted = false;
    p.armed = true;
    const bool faulted = access() != 0;
    p.armed = false;
    return {faulted, p.error_code, p.address};
}

u64 addr(const void* p) { return reinterpret_cast<uptr>(p); }

using KernelSpace = AddressSpace<detail::LiveTables, KernelTlb>;

template <typename R, typename F>
R with_space(F&& f) {
    kernel::IrqSaveSpinlockGuard guard(g_lock);
    detail::LiveTables tables;
    const Mapper<detail::LiveTables> live = detail::live_mapper();
    KernelSpace space{tables, live.root(), live.config(), g_tlb};
    return f(space);
}

PageFlags global() { return protections().pge ? PageFlags::Global : PageFlags::None; }

}  // namespace

bool program_pat() {
    if ((cpuid(CPUID_LEAF_FEATURES).edx & CPUID_1_EDX_PAT) == 0) {
        g_pat = false;
        return false;
    }
    // Only entry 4 changes (WB to WC), and no entry selects it before this
    // (no leaf has the PAT bit set), so no cached line or TLB entry can hold
    // the old type: the SDM's flush sequence (Vol. 3A, 13.12.4) protects
    // pages whose type changes, and there are none.
    wrmsr(MSR_PAT, pat_msr_value());
    g_pat = rdmsr(MSR_PAT) == pat_msr_value();
    return g_pat;
}

bool write_combining_available() { return g_pat; }

void log_pat() {
    if ((cpuid(CPUID_LEAF_FEATURES).edx & CPUID_1_EDX_PAT) == 0) {
        kernel::log::warn("PAT: the CPU has none: write-combining mappings are uncached");
        return;
    }
    const u64 value = rdmsr(MSR_PAT);
    kfmt::Buffer<96> line;
    for (u32 i = 0; i < 8; ++i)
        kfmt::format_to(line, "{}{} {}", i == 0 ? "" : ", ", i,
                        pat_type_mnemonic(static_cast<u8>((value >> (8 * i)) & 7)));
    if (g_pat)
        kernel::log::info("PAT: {} (checked)", line.view());
    else
        kernel::log::warn("PAT: reads back {:#x}, not {:#x}: write-combining mappings are uncached",
                          value, pat_msr_value());
}

CacheType effective_cache(CacheType asked) {
    return asked == CacheType::WriteCombining && !g_pat ? CacheType::Uncached : asked;
}

VmResult kernel_map(VirtAddr virt, PhysAddr phys, u64 length, PageFlags access, CacheType cache) {
    if (!initialized()) return VmError::NotReady;
    return with_space<VmResult>([&](KernelSpace& space) {
        return space.map(virt, phys, length, access, effective_cache(cache));
    });
}

VmResult kernel_unmap(VirtAddr virt, u64 length) {
    if (!initialized()) return VmError::NotReady;
    return with_space<VmResult>([&](KernelSpace& space) { return space.unmap(virt, length); });
}

VmResult kernel_protect(VirtAddr virt, u64 length, PageFlags access, CacheType cache) {
    if (!initialized()) return VmError::NotReady;
    return with_space<VmResult>([&](KernelSpace& space) {
        return space.protect(virt, length, access, effective_cache(cache));
    });
}

Result<Mapping, VmError> kernel_translate(VirtAddr virt) {
    if (!initialized()) return VmError::NotReady;
    return with_space<Result<Mapping, VmError>>(
        [&](KernelSpace& space) { return space.translate(virt); });
}

Result<VirtAddr, VmError> map_into_mmio_area(PhysRange range, PageFlags access, CacheType cache) {
    if (!initialized()) return VmError::NotReady;
    if (range.empty()) return VmError::Misaligned;
    const PhysRange pages = range.align_outward(kPageSize);
    if (!is_addressable(pages.base()) || pages.end().value() > physical_limit())
        return VmError::PhysOutOfRange;
    return with_space<Result<VirtAddr, VmError>>(
        [&](KernelSpace& space) -> Result<VirtAddr, VmError> {
            // The guard page after the range is never mapped.
            const ktl::optional<u64> at = g_mmio.allocate(pages.size());
            if (!at) return VmError::OutOfMemory;
            const VirtAddr virt{*at};
            // 4 KiB pages only: a device's registers rarely fill a large page,
            // and an MTRR boundary inside one would make the type undefined.
            const VmResult mapped = space.map(virt, pages.base(), pages.size(), access | global(),
                                              effective_cache(cache), PageSize::Size4K);
            if (!mapped) {
                // Nothing of it is mapped (map() undoes a partial map).
                (void)g_mmio.release(*at, pages.size());
                return mapped.error();
            }
            return virt + (range.base().value() - pages.base().value());
        });
}

Result<void, VmError> unmap_from_mmio_area(VirtAddr virt, u64 length) {
    if (!initialized()) return VmError::NotReady;
    if (length == 0) return VmError::Misaligned;
    u64 end = 0;
    if (__builtin_add_overflow(virt.value(), length, &end)) return VmError::NotMapped;
    const VirtRange pages = VirtRange{virt, VirtAddr{end}}.align_outward(kPageSize);
    const VirtRange area = VirtRange::from_size(kMmioAreaBase, kMmioAreaSize);
    if (!area.contains(pages)) return VmError::NotMapped;
    const u64 first = pages.base().value();
    const u64 last = pages.end().value();
    const auto r =
        with_space<Result<Release, VmError>>([&](KernelSpace& space) -> Result<Release, VmError> {
            // A whole mapping has an unmapped page on each side (the guard
            // after it; before it the previous one's guard, a free range or
            // the area's start): part of one is refused, not left half mapped.
            if (first > kMmioAreaBase && space.translate(VirtAddr{first - kPageSize}))
                return VmError::NotMapped;
            if (space.translate(VirtAddr{last})) return VmError::NotMapped;
            KEEL_TRY(space.unmap(VirtAddr{first}, last - first));
            return g_mmio.release(first, last - first);
        });
    if (!r) return r.error();
    // Leaked (the free list is full) costs address space only; Invalid
    // would mean the tables and the ranges disagree: said, not hidden.
    if (*r == Release::Invalid)
        kernel::log::warn("vm: the MMIO area's ranges do not hold {:#x}+{:#x}", first,
                          last - first);
    return {};
}

u64 mmio_area_used_end() {
    kernel::IrqSaveSpinlockGuard guard(g_lock);
    return g_mmio.next();
}

ProbeResult probe_read(const volatile void* address) {
    return probe([address] { return keel_probe_read(address); });
}

ProbeResult probe_write(volatile void* address, u8 value) {
    return probe([address, value] { return keel_probe_write(address, value); });
}

bool recover_probe_fault(u64& rip, u64 error_code, u64 cr2) {
    volatile ArmedProbe& p = this_probe();
    if (!p.armed) return false;
    if (rip != addr(keel_probe_read_access) && rip != addr(keel_probe_write_access)) return false;
    p.faulted = true;
    p.error_code = error_code;
    p.address = cr2;
    p.armed = false;
    rip = addr(keel_probe_fault);
    return true;
}

}  // namespace arch::paging

Result<u8*, VmError> arch::paging::map_unchecked(PhysRange range, CacheType cache) {
    const Result<VirtAddr, VmError> r = map_into_mmio_area(range, PageFlags::Writable, cache);
    if (!r) return r.error();
    return reinterpret_cast<u8*>(static_cast<uptr>(r->value()));
}

// ---- the portable interface (arch/arch.hpp) ----

// Writes to 0xfeexxxxx are interrupt messages (SDM Vol. 3A, 11.11.1: an
// MSI's address), and the local APIC's registers sit in that range: no
// other device's can, and a write meant for one would be an interrupt.
constexpr PhysRange kInterruptMessages{PhysAddr{0xFEE0'0000}, PhysAddr{0xFEF0'0000}};

Result<u8*, VmError> arch::map_mmio(PhysRange range, CacheType cache) {
    if (kernel::boot_params().usable_ram_overlaps(range)) return VmError::AvailableRam;
    if (range.overlaps(kInterruptMessages)) return VmError::InterruptRange;
    return paging::map_unchecked(range, cache);
}

bool arch::kernel_writable(const void* address) {
    const Result<paging::Mapping, VmError> m =
        paging::kernel_translate(VirtAddr{reinterpret_cast<uptr>(address)});
    return m && (m->access & paging::PageFlags::Writable) != paging::PageFlags::None;
}

Result<void, VmError> arch::unmap_mmio(const volatile void* address, u64 length) {
    return paging::unmap_from_mmio_area(VirtAddr{reinterpret_cast<uptr>(address)}, length);
}

Result<const u8*, VmError> arch::map_readonly(PhysRange range) {
    const Result<VirtAddr, VmError> r =
        paging::map_into_mmio_area(range, paging::PageFlags::None, CacheType::WriteBack);
    if (!r) return r.error();
    return reinterpret_cast<const u8*>(static_cast<uptr>(r->value()));
}

Result<void, VmError> arch::set_direct_map_cache(PhysRange range, CacheType cache) {
    if (!direct_map_active() || !directly_mapped(range)) return VmError::NotMapped;
    const PhysRange pages = range.align_outward(kPageSize);
    const paging::PageFlags access = paging::PageFlags::Writable | paging::global();
    return paging::kernel_protect(VirtAddr{kDirectMapBase + pages.base().value()}, pages.size(),
                                  access, cache);
}

Result<CacheType, VmError> arch::direct_map_cache(PhysAddr phys) {
    if (!direct_map_active()) return VmError::NotReady;
    const Result<paging::Mapping, VmError> m =
        paging::kernel_translate(VirtAddr{kDirectMapBase + phys.value()});
    if (!m) return m.error();
    return m->cache;
}
