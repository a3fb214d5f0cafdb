#include "init/memory.hpp"

#include "arch/arch.hpp"
#include "arch/setup.hpp"
#include "init/boot_console.hpp"
#include "kernel/boot_report.hpp"
#include "kernel/debug/debug.hpp"
#include "kernel/log/log.hpp"
#include "kernel/mm/boot_frames.hpp"
#include "kernel/mm/frame_allocator.hpp"
#include "kernel/mm/kernel_heap.hpp"
#include "kernel/mm/physical_regions.hpp"
#include "kernel/panic/panic.hpp"

namespace init {

namespace {

// Page-table frames until the frame allocator exists (Paging phase).
kernel::mm::BootFrames g_boot_frames;

ktl::optional<PhysAddr> boot_table_frame() { return g_boot_frames.allocate(); }
ktl::optional<PhysAddr> table_frame() { return kernel::mm::allocate_frames(0); }

}  // namespace

void compute_free_memory(const boot::BootParams& params) {
    namespace mm = kernel::mm;
    if (!params.memory_map_present)
        kernel::panic("no memory map from the loader: Keel cannot tell which memory is free");
    const kernel::debug::SymbolMemory symbols = kernel::debug::symbol_memory();
    const arch::ImagePlacement image = arch::image_placement();
    kernel::log::info(
        "image load base {:#x} (linked at {:#x}; {})", image.start, image.linked_at,
        image.checked ? "in RAM by the loader's memory map" : "no memory map to check it against");
    const mm::KernelPlacement kernel{
        {PhysAddr{image.start}, PhysAddr{image.end}},
        PhysRange::from_size(symbols.symtab_phys, symbols.symtab_size),
        PhysRange::from_size(symbols.strtab_phys, symbols.strtab_size)};
    mm::PhysicalRegions& regions = mm::boot_physical_regions();
    regions.clear();
    const u32 dropped = mm::reserve_boot_regions(regions, params, kernel);
    regions.compute(params.memory_map());
    kernel::report_physical_regions(regions);
    if (dropped != 0)
        kernel::panic("{} reserved memory ranges did not fit (PhysicalRegions::kMaxReservations)",
                      dropped);
    if (!mm::enough_memory(regions.free_bytes()))
        kernel::panic(
            "not enough memory: Keel needs at least {} MiB of free RAM, this machine has {} MiB",
            mm::kMinimumFreeMemory / kMiB, regions.free_bytes() / kMiB);
}

void start_kernel_page_tables(const boot::BootParams& params) {
    namespace mm = kernel::mm;
    if (!g_boot_frames.init(mm::physical_regions().free_ranges(), PhysAddr{mm::kLowMemoryEnd},
                            PhysAddr{4 * kGiB}))
        kernel::panic("paging: no free memory between 1 MiB and 4 GiB for the first page tables");
    arch::init_paging(params, boot_table_frame, relocate_boot_console_to_direct_map);
}

void start_frame_allocator(const boot::BootParams& params) {
    namespace mm = kernel::mm;
    mm::PhysicalRegions& regions = mm::boot_physical_regions();
    g_boot_frames.close();
    const PhysRange tables = g_boot_frames.taken();
    if (!tables.empty()) {
        if (!regions.reserve(mm::ReservationKind::PageTables, tables))
            kernel::panic(
                "frames: the early page tables at {} cannot be reserved "
                "(PhysicalRegions::kMaxReservations)",
                tables);
        regions.compute(params.memory_map());
        kernel::log::info("reserved: {} {} ({} KiB)",
                          mm::kind_name(mm::ReservationKind::PageTables), tables,
                          tables.size() / kKiB);
    }
    mm::init_frame_allocator(regions, mm::PhysicalWindow{arch::direct_map_offset()});
    arch::set_page_table_source(table_frame);
    const mm::FrameSummary s =
        mm::frame_allocator().with([](mm::BuddyAllocator& b) { return mm::summarize(b); });
    kernel::log::info("frames: {} MiB free ({} KiB below 1 MiB, {} MiB below 4 GiB)", s.free_mib,
                      s.low_kib, s.below_4g_mib);
    kernel::log::debug("frames: bookkeeping {} KiB at {}", s.bookkeeping_kib,
                       mm::frame_allocator().unlocked().bookkeeping());
}

void start_heap() {
    kernel::mm::init_kernel_heap();
    kernel::log::info("heap: {} classes of {}-{} B in {} KiB slabs{}", kernel::mm::kHeapClassCount,
                      kernel::mm::kHeapClassSizes[0], kernel::mm::kHeapMaxSmall,
                      kernel::mm::kHeapChunkBytes / kKiB,
                      kernel::mm::kDebugAlloc ? "; red zones, poison" : "");
}

}  // namespace init
