// The heap area: the kernel heap's large blocks that are not one physical
// block (kernel/mm/heap_large.cpp), each its own frames mapped contiguously
// in PML4 entry 386 (paging/areas.hpp), with an unmapped 16 KiB guard after
// it. Design: docs/virtual-memory.md, "The heap area".
#include "arch/arch.hpp"
#include "arch/x86_64/paging/areas.hpp"
#include "arch/x86_64/paging/kernel_space.hpp"
#include "arch/x86_64/paging/mmio_ranges.hpp"
#include "arch/x86_64/paging/paging.hpp"
#include "kernel/log/log.hpp"
#include "kernel/mm/frame_allocator.hpp"
#include "kernel/mm/heap.hpp"
#include "kernel/sync/guard.hpp"
#include "kernel/sync/spinlock.hpp"

namespace arch {

namespace {

// Blocks and guards are whole chunks, so every block starts on the chunk
// boundary the heap finds a block's header by.
constexpr u64 kStep = kernel::mm::kHeapChunkBytes;
static_assert(kStep % kPageSize == 0);

// The area's ranges. Owner: the heap, which calls in under its own lock;
// g_lock serialises them anyway, so the area needs no caller's promise. It
// is held with interrupts off, never while another lock is taken, so a
// handler that frees a mapped block can take it without deadlock.
kernel::Spinlock g_lock;
paging::MmioRanges<64> g_ranges{paging::kHeapAreaBase, paging::kHeapAreaSize, kStep};

// Pages are unmapped this many at a time: one TLB shootdown each, and
// their frames remembered on the stack until then.
constexpr u64 kUnmapBatch = 64;

u64 bytes_for(u64 pages) { return (pages * kPageSize + kStep - 1) / kStep * kStep; }

paging::PageFlags access() {
    return paging::PageFlags::Writable |
           (paging::protections().pge ? paging::PageFlags::Global : paging::PageFlags::None);
}

// Unmaps the first `pages` pages at `base` (all mapped) and frees their
// frames; false (the rest kept, mapped or not) when a batch would not
// unmap: a frame is never freed while a mapping may still reach it.
bool give_back(u64 base, u64 pages) {
    for (u64 done = 0; done < pages;) {
        const u64 count = pages - done < kUnmapBatch ? pages - done : kUnmapBatch;
        PhysAddr frames[kUnmapBatch];
        const VirtAddr first{base + done * kPageSize};
        for (u64 i = 0; i < count; ++i) {
            const Result<paging::Mapping, VmError> m =
                paging::kernel_translate(first + i * kPageSize);
            frames[i] = m ? m->page : PhysAddr{0};
        }
        // The frames go back only once no CPU can reach them any more.
        if (const paging::VmResult r = paging::kernel_unmap(first, count * kPageSize); !r) {
            kernel::log::warn(
                "heap area: {:#x}+{:#x} does not unmap ({}): its frames and range are kept",
                first.value(), count * kPageSize, describe(r.error()));
            return false;
        }
        for (u64 i = 0; i < count; ++i)
            if (frames[i].value() != 0) kernel::mm::free_frames(frames[i], 0);
        done += count;
    }
    return true;
}

void release(u64 at, u64 pages) {
    const kernel::IrqSaveSpinlockGuard guard(g_lock);
    if (g_ranges.release(at, bytes_for(pages)) == paging::Release::Invalid)
        kernel::log::warn("heap area: {:#x} ({} pages) is no range of the area", at, pages);
}

}  // namespace

Result<u8*, VmError> map_heap_pages(u64 pages) {
    if (pages == 0 || pages > paging::kHeapAreaSize / kPageSize) return VmError::OutOfMemory;
    if (!paging::initialized() || !kernel::mm::frame_allocator_ready()) return VmError::NotReady;
    // A request past what is free fails here, rather than after taking
    // every frame (which other CPUs' allocations would see run out).
    const u64 free = kernel::mm::frame_allocator().with([](kernel::mm::BuddyAllocator& b) {
        // The zones allocate_frames(0) takes from: not the Low one.
        return b.free_frames(kernel::mm::Zone::Normal) + b.free_frames(kernel::mm::Zone::Dma32);
    });
    if (free < pages) return VmError::OutOfMemory;
    ktl::optional<u64> at;
    {
        const kernel::IrqSaveSpinlockGuard guard(g_lock);
        at = g_ranges.allocate(bytes_for(pages));
    }
    if (!at) return VmError::OutOfMemory;
    for (u64 i = 0; i < pages; ++i) {
        const ktl::optional<PhysAddr> frame = kernel::mm::allocate_frames(0);
        const paging::VmResult mapped =
            frame ? paging::kernel_map(VirtAddr{*at + i * kPageSize}, *frame, kPageSize, access(),
                                       CacheType::WriteBack)
                  : paging::VmResult{VmError::OutOfMemory};
        if (!mapped) {
            if (frame) kernel::mm::free_frames(*frame, 0);
            if (give_back(*at, i)) release(*at, pages);
            return mapped.error();
        }
    }
    return reinterpret_cast<u8*>(*at);
}

void unmap_heap_pages(void* at, u64 pages) {
    const u64 base = reinterpret_cast<uptr>(at);
    // A count from a damaged header is bounded by the area, and a range
    // that does not unmap whole stays the area's for good.
    if (pages == 0 || pages > paging::kHeapAreaSize / kPageSize) {
        kernel::log::warn("heap area: {} pages at {:#x} is no block of the area: kept", pages,
                          base);
        return;
    }
    if (give_back(base, pages)) release(base, pages);
}

bool heap_page_mapped(const void* at) {
    return static_cast<bool>(paging::kernel_translate(VirtAddr{reinterpret_cast<uptr>(at)}));
}

HeapArea heap_area() {
    return {paging::kHeapAreaBase, paging::kHeapAreaBase + paging::kHeapAreaSize};
}

}  // namespace arch
