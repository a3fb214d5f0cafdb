// In-kernel tests of the free physical memory kernel_main computed
// (kernel::mm::physical_regions()) against what this machine really holds:
// here, beside the image layout (bits.h, linker/kernel.ld) they check.
#include "arch/x86_64/bits.h"
#include "arch/x86_64/image.hpp"
#include "kernel/boot_state.hpp"
#include "kernel/debug/debug.hpp"
#include "kernel/mm/physical_regions.hpp"
#include "kernel/test/ktest.hpp"

extern "C" const u8 __kernel_physical_start[], __kernel_physical_end[];
extern "C" const u8 __bss_start[], kernel_stack_top[];

namespace {

// Whether the available regions of the map, together, cover [base, end):
// adjacent regions may share one free range.
bool covered_by_available(ktl::span<const boot::MemoryRegion> map, PhysRange range) {
    PhysAddr at = range.base();
    while (at < range.end()) {
        PhysAddr next = at;
        for (const boot::MemoryRegion& r : map) {
            PhysRange region = r.range();
            if (r.usable() && region.contains(at) && region.end() > next) next = region.end();
        }
        if (next == at) return false;
        at = next;
    }
    return true;
}

bool overlaps_other_type(ktl::span<const boot::MemoryRegion> map, PhysRange range) {
    for (const boot::MemoryRegion& r : map)
        if (!r.usable() && r.range().overlaps(range)) return true;
    return false;
}

}  // namespace

KTEST(mm_free_memory_found) {
    const auto& regions = kernel::mm::physical_regions();
    KEXPECT(regions.complete());
    KEXPECT(regions.size() > 0);
    KEXPECT(regions.free_bytes() >= kernel::mm::kMinimumFreeMemory);
    KEXPECT(regions.free_bytes() < kernel::boot_params().usable_bytes());
}

KTEST(mm_loader_regions_are_not_free) {
    const auto& regions = kernel::mm::physical_regions();
    const auto& info = kernel::boot_params();
    const u64 image = arch::image::boot_phys(__kernel_physical_start);
    KEXPECT(image == arch::image::physical_base());
    KEXPECT(!regions.any_free(
        PhysRange::from_size(image, arch::image::boot_phys(__kernel_physical_end) - image)));
    // Things that live in the image: .bss and the kernel stack.
    KEXPECT(!regions.any_free(PhysRange::from_size(arch::image::kernel_phys(__bss_start), 1)));
    KEXPECT(
        !regions.any_free(PhysRange::from_size(arch::image::kernel_phys(kernel_stack_top) - 1, 1)));
    KEXPECT(!regions.any_free(PhysRange::from_size(info.info_phys, info.info_size)));
    for (const boot::Module& m : info.module_list()) KEXPECT(!regions.any_free(m.range()));
    const kernel::debug::SymbolMemory symbols = kernel::debug::symbol_memory();
    // Only a loader that placed the ELF section headers loaded the tables.
    KEXPECT((symbols.symtab_size > 0 && symbols.strtab_size > 0) == info.elf_sections.present);
    KEXPECT(!regions.any_free(PhysRange::from_size(symbols.symtab_phys, symbols.symtab_size)));
    KEXPECT(!regions.any_free(PhysRange::from_size(symbols.strtab_phys, symbols.strtab_size)));
    // The IVT/BDA page and the EBDA/video/ROM area (docs/memory.md).
    KEXPECT(!regions.any_free(PhysRange{PhysAddr{0}, PhysAddr{kernel::mm::kRealModeDataEnd}}));
    KEXPECT(!regions.any_free(
        PhysRange{PhysAddr{kernel::mm::kBiosAreaStart}, PhysAddr{kernel::mm::kLowMemoryEnd}}));
}

KTEST(mm_free_ranges_are_available_ram) {
    const auto& regions = kernel::mm::physical_regions();
    const auto map = kernel::boot_params().memory_map();
    PhysAddr previous_end{0};
    for (const PhysRange& r : regions) {
        KEXPECT(r.base().is_aligned(kPageSize) && r.end().is_aligned(kPageSize));
        KEXPECT(!r.empty());
        // Below 1 MiB only the low zone's RAM: past page 0, below the BIOS area.
        KEXPECT(r.base().value() >= kernel::mm::kRealModeDataEnd);
        KEXPECT(r.base().value() >= kernel::mm::kLowMemoryEnd ||
                r.end().value() <= kernel::mm::kBiosAreaStart);
        KEXPECT(r.base() > previous_end || previous_end == PhysAddr{0});  // sorted, apart
        KEXPECT(covered_by_available(map, r));
        KEXPECT(!overlaps_other_type(map, r));
        KEXPECT(regions.is_free(r));
        previous_end = r.end();
    }
}
