// Self-tests of the kernel's address space on the live tables (`test` or
// `test=vm`): aliases, faults with their error codes, the PAT and the
// cache bits the layout promises.
#include "arch/arch.hpp"
#include "arch/x86_64/bits.h"
#include "arch/x86_64/cpu.hpp"
#include "arch/x86_64/paging/kernel_space.hpp"
#include "arch/x86_64/paging/pat.hpp"
#include "kernel/mm/frame_allocator.hpp"
#include "kernel/test/ktest.hpp"

namespace {

using namespace arch::paging;

// Page-fault error code bits (SDM Vol. 3A, 4.7).
constexpr u64 kPfPresent = 1 << 0;
constexpr u64 kPfWrite = 1 << 1;

u64 addr(const volatile void* p) { return reinterpret_cast<uptr>(p); }

// A fresh frame, zeroed through the direct map; 0 when none is left.
PhysAddr fresh_frame() {
    const ktl::optional<PhysAddr> f = kernel::mm::allocate_frames(0);
    if (!f) return PhysAddr{0};
    __builtin_memset(arch::phys_to_virt(*f), 0, kPageSize);
    return *f;
}

KTEST(vm_pat_holds_the_layout) {
    // A CPU with a PAT must have it programmed; without one, WC is UC.
    const bool cpu_has_pat = (arch::cpuid(CPUID_LEAF_FEATURES).edx & CPUID_1_EDX_PAT) != 0;
    KEXPECT(write_combining_available() == cpu_has_pat);
    KEXPECT(effective_cache(CacheType::WriteCombining) ==
            (cpu_has_pat ? CacheType::WriteCombining : CacheType::Uncached));
    if (!cpu_has_pat) return;
    KEXPECT(arch::rdmsr(MSR_PAT) == pat_msr_value());
    KEXPECT(((arch::rdmsr(MSR_PAT) >> (8 * kPatWriteCombiningIndex)) & 7) == PAT_TYPE_WC);
}

KTEST(vm_write_through_one_mapping_is_seen_through_an_alias) {
    const PhysAddr frame = fresh_frame();
    KEXPECT(frame.value() != 0);
    if (frame.value() == 0) return;
    auto alias = arch::map_mmio(PhysRange::from_size(frame, kPageSize), CacheType::WriteBack);
    KEXPECT(alias.ok());
    if (!alias) return;
    volatile u64* direct = arch::phys_to_virt<volatile u64>(frame);
    volatile u64* other = reinterpret_cast<volatile u64*>(*alias);
    KEXPECT(addr(direct) != addr(other));
    direct[3] = 0x0123'4567'89AB'CDEFULL;
    KEXPECT(other[3] == 0x0123'4567'89AB'CDEFULL);
    other[511] = 0xFEED'F00DULL;
    KEXPECT(direct[511] == 0xFEED'F00DULL);
    auto m = kernel_translate(VirtAddr{addr(other)});
    KEXPECT(m.ok() && m->page == frame && m->cache == CacheType::WriteBack);
}

KTEST(vm_unmapped_and_read_only_pages_fault_with_the_right_error_code) {
    const PhysAddr frame = fresh_frame();
    if (frame.value() == 0) return;
    auto ro = arch::map_readonly(PhysRange::from_size(frame, kPageSize));
    KEXPECT(ro.ok());
    if (!ro) return;
    // The probe takes a writable pointer for both directions; this page is
    // only read through it (and written once, to see the fault).
    volatile u8* page =
        const_cast<volatile u8*>(*ro);  // NOLINT(cppcoreguidelines-pro-type-const-cast)
    arch::phys_to_virt<u8>(frame)[7] = 0x5A;

    const ProbeResult read = probe_read(page + 7);
    KEXPECT(!read.faulted);
    KEXPECT(page[7] == 0x5A);

    // Writing a present read-only page: P=1, W=1 (CR0.WP makes it fault at CPL 0).
    const ProbeResult write = probe_write(page + 7, 0xA5);
    KEXPECT(write.faulted);
    KEXPECT(write.error_code == (kPfPresent | kPfWrite));
    KEXPECT(write.address == addr(page + 7));
    KEXPECT(page[7] == 0x5A);

    // The guard page after every MMIO-area mapping is not present: P=0.
    volatile u8* guard = page + kPageSize;
    KEXPECT(!kernel_translate(VirtAddr{addr(guard)}).ok());
    const ProbeResult unmapped_read = probe_read(guard + 16);
    KEXPECT(unmapped_read.faulted);
    KEXPECT(unmapped_read.error_code == 0);
    KEXPECT(unmapped_read.address == addr(guard + 16));
    const ProbeResult unmapped_write = probe_write(guard, 1);
    KEXPECT(unmapped_write.faulted);
    KEXPECT(unmapped_write.error_code == kPfWrite);
}

KTEST(vm_write_combining_entry_carries_the_layouts_pat_bits) {
    const PhysAddr frame = fresh_frame();
    if (frame.value() == 0) return;
    auto wc = arch::map_mmio(PhysRange::from_size(frame, kPageSize), CacheType::WriteCombining);
    KEXPECT(wc.ok());
    if (!wc) return;
    auto m = kernel_translate(VirtAddr{addr(*wc)});
    KEXPECT(m.ok());
    if (!m) return;
    const u64 raw = m->leaf.raw();
    if (write_combining_available()) {
        // Entry 4 = PAT 1, PCD 0, PWT 0 in a 4 KiB PTE.
        KEXPECT(m->size == PageSize::Size4K);
        KEXPECT((raw & PTE_PAT) != 0);
        KEXPECT((raw & (PTE_CACHE_DISABLE | PTE_WRITE_THROUGH)) == 0);
        KEXPECT(m->cache == CacheType::WriteCombining);
    } else {
        KEXPECT(m->cache == CacheType::Uncached);
    }
    // A write first, so the TLB holds the writable translation that the
    // protect below must invalidate.
    KEXPECT(!probe_write(*wc, 2).faulted);
    // Protect makes it read-only, uncached: PCD and PWT (entry 3), no PAT.
    KEXPECT(kernel_protect(m->page_virt, kPageSize, PageFlags::None, CacheType::Uncached).ok());
    auto after = kernel_translate(m->page_virt);
    KEXPECT(after.ok() && after->cache == CacheType::Uncached &&
            (after->leaf.raw() & PTE_PAT) == 0 && !has(after->access, PageFlags::Writable));
    const ProbeResult write = probe_write(*wc, 1);
    KEXPECT(write.faulted && write.error_code == (kPfPresent | kPfWrite));
}

KTEST(vm_errors_are_reported_not_ignored) {
    const PhysAddr frame = fresh_frame();
    if (frame.value() == 0) return;
    auto a = arch::map_mmio(PhysRange::from_size(frame, kPageSize), CacheType::Uncached);
    KEXPECT(a.ok());
    if (!a) return;
    const VirtAddr v{addr(*a)};
    auto again = kernel_map(v, frame, kPageSize, PageFlags::Writable, CacheType::Uncached);
    KEXPECT(!again.ok() && again.error() == VmError::AlreadyMapped);
    // Touched first, so the TLB holds the translation that unmap must drop.
    KEXPECT(!probe_read(*a).faulted);
    KEXPECT(kernel_unmap(v, kPageSize).ok());
    auto twice = kernel_unmap(v, kPageSize);
    KEXPECT(!twice.ok() && twice.error() == VmError::NotMapped);
    // Unmapped now, and the TLB was told: the access faults.
    const ProbeResult r = probe_read(*a);
    KEXPECT(r.faulted && r.error_code == 0);
}

}  // namespace
