// Self-tests of the kernel's address space on the live tables (`test` or
// `test=vm`): aliases, faults with their error codes, the PAT and the
// cache bits the layout promises.
#include "arch/arch.hpp"
#include "arch/x86_64/bits.h"
#include "arch/x86_64/cpu.hpp"
#include "arch/x86_64/paging/kernel_space.hpp"
#include "arch/x86_64/paging/pat.hpp"
#include "kernel/acpi/platform.hpp"
#include "kernel/boot_state.hpp"
#include "kernel/log/log.hpp"
#include "kernel/mm/frame_allocator.hpp"
#include "kernel/test/ktest.hpp"

namespace {

using namespace arch::paging;

// Page-fault error code bits (SDM Vol. 3A, 4.7).
constexpr u64 kPfPresent = 1 << 0;
constexpr u64 kPfWrite = 1 << 1;

u64 addr(const volatile void* p) { return reinterpret_cast<uptr>(p); }

// Frames a test allocated, zeroed through the direct map and given back
// however the test returns (a failed check returns early). Declared before
// the mappings of them, so that the mappings go first.
class TestFrames {
public:
    explicit TestFrames(u32 order) : order_(order) {
        const ktl::optional<PhysAddr> f = kernel::mm::allocate_frames(order);
        if (!f) return;
        base_ = *f;
        __builtin_memset(arch::phys_to_virt(base_), 0, kPageSize << order);
    }
    TestFrames(const TestFrames&) = delete;
    TestFrames& operator=(const TestFrames&) = delete;
    ~TestFrames() {
        if (base_.value() != 0) kernel::mm::free_frames(base_, order_);
    }
    [[nodiscard]] explicit operator bool() const { return base_.value() != 0; }
    [[nodiscard]] PhysAddr base() const { return base_; }

private:
    PhysAddr base_{0};
    u32 order_;
};

// A mapping of the MMIO area that a test made, removed when the test
// returns unless the test removed it itself (taken()).
class TestMapping {
public:
    TestMapping(const volatile void* address, u64 length) : address_(address), length_(length) {}
    TestMapping(const TestMapping&) = delete;
    TestMapping& operator=(const TestMapping&) = delete;
    ~TestMapping() {
        if (address_ != nullptr) (void)arch::unmap_mmio(address_, length_);
    }
    // The test unmapped it (or tried to): nothing is left to remove.
    void taken() { address_ = nullptr; }

private:
    const volatile void* address_;
    u64 length_;
};

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
    const TestFrames frames(0);
    KEXPECT(frames);
    if (!frames) return;
    const PhysAddr frame = frames.base();
    auto alias = map_unchecked(PhysRange::from_size(frame, kPageSize), CacheType::WriteBack);
    KEXPECT(alias.ok());
    if (!alias) return;
    const TestMapping mapped(*alias, kPageSize);
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
    const TestFrames frames(0);
    KEXPECT(frames);
    if (!frames) return;
    const PhysAddr frame = frames.base();
    auto ro = arch::map_readonly(PhysRange::from_size(frame, kPageSize));
    KEXPECT(ro.ok());
    if (!ro) return;
    const TestMapping mapped(*ro, kPageSize);
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
    const TestFrames frames(0);
    KEXPECT(frames);
    if (!frames) return;
    auto wc =
        map_unchecked(PhysRange::from_size(frames.base(), kPageSize), CacheType::WriteCombining);
    KEXPECT(wc.ok());
    if (!wc) return;
    const TestMapping mapped(*wc, kPageSize);
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
    const TestFrames frames(0);
    KEXPECT(frames);
    if (!frames) return;
    const PhysAddr frame = frames.base();
    auto a = map_unchecked(PhysRange::from_size(frame, kPageSize), CacheType::Uncached);
    KEXPECT(a.ok());
    if (!a) return;
    // Its pages are unmapped below by kernel_unmap, which leaves the MMIO
    // area's range taken: unmap_mmio then refuses it (NotMapped), and the
    // range, address space only, stays used.
    const TestMapping mapped(*a, kPageSize);
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

// unmap_mmio() (arch/arch.hpp): the pages stop translating, the TLB was
// told, and the virtual range is handed out again, not leaked.
KTEST(vm_unmap_mmio_stops_translating_and_reuses_the_range) {
    // Two frames of RAM, mapped write-back like the direct map's view.
    const TestFrames frames(1);
    KEXPECT(frames);
    if (!frames) return;
    const PhysAddr frame = frames.base();
    // Two pages, asked for at an offset: the unmap takes the same range.
    const PhysRange range = PhysRange::from_size(frame + 0x40, kPageSize);
    auto first = map_unchecked(range, CacheType::WriteBack);
    KEXPECT(first.ok());
    if (!first) return;
    TestMapping first_mapped(*first, range.size());
    const u64 page = addr(*first) & ~(kPageSize - 1);
    KEXPECT(addr(*first) - page == 0x40);
    KEXPECT(kernel_translate(VirtAddr{page}).ok());
    KEXPECT(kernel_translate(VirtAddr{page + kPageSize}).ok());
    // Touched first, so the TLB holds the translation that unmap must drop.
    KEXPECT(!probe_read(*first).faulted);
    KEXPECT(arch::unmap_mmio(*first, range.size()).ok());
    first_mapped.taken();
    auto gone = kernel_translate(VirtAddr{page});
    KEXPECT(!gone.ok() && gone.error() == VmError::NotMapped);
    KEXPECT(!kernel_translate(VirtAddr{page + kPageSize}).ok());
    const ProbeResult r = probe_read(*first);
    KEXPECT(r.faulted && r.error_code == 0);
    // Given back twice: refused, with nothing changed.
    auto twice = arch::unmap_mmio(*first, range.size());
    KEXPECT(!twice.ok() && twice.error() == VmError::NotMapped);

    // The next mapping of the same size takes the range back (the lowest
    // free one that fits, or the bump pointer moved back over it).
    auto second = map_unchecked(PhysRange::from_size(frame, 2 * kPageSize), CacheType::WriteBack);
    KEXPECT(second.ok());
    if (!second) return;
    const TestMapping second_mapped(*second, 2 * kPageSize);
    KEXPECT(addr(*second) == page);
    auto m = kernel_translate(VirtAddr{page});
    KEXPECT(m.ok() && m->page == frame);
    // A loop of map and unmap (a probe's pattern) uses one range over and
    // over (a driver probing a device it then does not use).
    u64 probe_at = 0;
    for (int i = 0; i < 100; ++i) {
        auto probe = map_unchecked(PhysRange::from_size(frame, kPageSize), CacheType::WriteBack);
        KEXPECT(probe.ok());
        if (!probe) return;
        if (i == 0) probe_at = addr(*probe);
        KEXPECT(addr(*probe) == probe_at);
        KEXPECT(arch::unmap_mmio(*probe, kPageSize).ok());
        if (addr(*probe) != probe_at) break;  // one failure says it
    }
}

// The ACPI report reads each I/O APIC's version before the interrupt
// driver exists; both take the one mapping io_apic.cpp keeps per chip, so
// after the Interrupts phase each chip's page is mapped once.
KTEST(vm_unmap_mmio_leaves_each_io_apic_mapped_once) {
    const kernel::acpi::Platform* platform = kernel::acpi_platform();
    if (platform == nullptr) return;  // no ACPI: no I/O APIC is mapped
    const u64 end = mmio_area_used_end();
    for (usize i = 0; i < platform->madt.io_apic_count; ++i) {
        const PhysAddr chip = PhysAddr{platform->madt.io_apics[i].address}.align_down(kPageSize);
        u32 mappings = 0;
        for (u64 v = kMmioAreaBase; v < end; v += kPageSize) {
            const auto m = kernel_translate(VirtAddr{v});
            if (m.ok() && m->page == chip) ++mappings;
        }
        KEXPECT(mappings == 1);
        if (mappings != 1)
            kernel::log::error("vm: I/O APIC {} at {:#x} has {} MMIO mappings",
                               platform->madt.io_apics[i].id, chip.value(), mappings);
    }
}

// A firmware table naming available RAM as a device (an I/O APIC, an HPET,
// an ECAM region, a memory-space ACPI register) is refused at the one
// place every such mapping goes through, before any register is read or
// written: here a frame the allocator handed out stands for that RAM.
KTEST(vm_map_mmio_refuses_available_ram) {
    const TestFrames frames(0);
    KEXPECT(frames);
    if (!frames) return;
    const u64 before = mmio_area_used_end();
    const PhysRange one_byte = PhysRange::from_size(frames.base() + 0x10, 1);
    auto refused = arch::map_mmio(one_byte, CacheType::Uncached);
    KEXPECT(!refused.ok() && refused.error() == VmError::AvailableRam);
    // A range only partly in RAM (across the end of a usable region, into
    // what follows it): still refused.
    for (const boot::MemoryRegion& region : kernel::boot_params().memory_map()) {
        const PhysAddr end = region.range().end();
        if (!region.usable() ||
            kernel::boot_params().usable_ram_overlaps(PhysRange::from_size(end, 8)))
            continue;
        auto partly = arch::map_mmio(PhysRange::from_size(end - 8, 16), CacheType::Uncached);
        KEXPECT(!partly.ok() && partly.error() == VmError::AvailableRam);
        if (partly) (void)arch::unmap_mmio(*partly, 16);
        break;
    }
    // The I/O APIC probe the ACPI report makes goes through the same door.
    auto chip = arch::io_apic_inputs(frames.base());
    KEXPECT(!chip.ok() && chip.error() == ktl::string_view{describe(VmError::AvailableRam)});
    // Nothing was mapped, and the frame still holds what the test wrote.
    KEXPECT(mmio_area_used_end() == before);
    KEXPECT(*arch::phys_to_virt<volatile u64>(frames.base()) == 0);
    // The interrupt-message range, where a write is an interrupt, is
    // refused too (a hostile MADT placed an I/O APIC there); a device's
    // page outside both (the usual I/O APIC address) still maps.
    auto messages =
        arch::map_mmio(PhysRange::from_size(PhysAddr{0xFEE0'0000}, 4), CacheType::Uncached);
    KEXPECT(!messages.ok() && messages.error() == VmError::InterruptRange);
    auto device =
        arch::map_mmio(PhysRange::from_size(PhysAddr{0xFEC0'0000}, 4), CacheType::Uncached);
    KEXPECT(device.ok());
    if (device) KEXPECT(arch::unmap_mmio(*device, 4).ok());
}

KTEST(vm_unmap_mmio_refuses_what_is_not_a_whole_mapping) {
    const TestFrames frames(2);  // 4 frames
    KEXPECT(frames);
    if (!frames) return;
    const PhysAddr frame = frames.base();
    auto m = map_unchecked(PhysRange::from_size(frame, 3 * kPageSize), CacheType::WriteBack);
    KEXPECT(m.ok());
    if (!m) return;
    TestMapping mapped(*m, 3 * kPageSize);
    // Its first page, its last page, its middle: part of a mapping.
    for (u64 page = 0; page < 3; ++page) {
        auto part = arch::unmap_mmio(*m + page * kPageSize, kPageSize);
        KEXPECT(!part.ok() && part.error() == VmError::NotMapped);
    }
    // Into the guard page after it.
    auto longer = arch::unmap_mmio(*m, 4 * kPageSize);
    KEXPECT(!longer.ok() && longer.error() == VmError::NotMapped);
    // Outside the MMIO area: the direct map's view of the same frame.
    auto direct = arch::unmap_mmio(arch::phys_to_virt(frame), kPageSize);
    KEXPECT(!direct.ok() && direct.error() == VmError::NotMapped);
    auto empty = arch::unmap_mmio(*m, 0);
    KEXPECT(!empty.ok());
    // Every refusal left all of it mapped.
    for (u64 page = 0; page < 3; ++page)
        KEXPECT(kernel_translate(VirtAddr{addr(*m) + page * kPageSize}).ok());
    KEXPECT(arch::unmap_mmio(*m, 3 * kPageSize).ok());
    mapped.taken();
    KEXPECT(!kernel_translate(VirtAddr{addr(*m)}).ok());
}

}  // namespace
