// Large blocks: requests above the last size class (or aligned beyond a
// slab's header) get a whole chunk of 2^order pages of their own, its
// header in front and, in debug builds, red zones around the caller's bytes.
// When the provider has no such chunk (the request is past the frame
// allocator's largest block, or free memory is too fragmented for one),
// the block is pages mapped for it alone (PageProvider::map_pages): the
// same header and red zones, pages contiguous only virtually.
#include "kernel/mm/heap.hpp"
#include "kernel/mm/heap_block.hpp"

namespace kernel::mm {

using namespace heap_block;

namespace {

u32 order_for_pages(usize pages) {
    u32 order = 0;
    while ((usize{1} << order) < pages) ++order;
    return order < kHeapChunkOrder ? kHeapChunkOrder : order;
}

usize rear_red_zone() { return kDebugAlloc ? kLargeRearRedZone : 0; }

}  // namespace

usize Heap::large_pages(usize size, usize offset) {
    return (offset + size + rear_red_zone() + kPageSize - 1) / kPageSize;
}

void* Heap::allocate_large(usize size, usize align) {
    const usize offset = align > kHeaderBytes ? align : kHeaderBytes;
    const usize pages = large_pages(size, offset);
    const u32 order = order_for_pages(pages);
    auto* chunk = static_cast<u8*>(pages_->allocate_pages(order));
    u32 magic = kLargeMagic;
    u64 bytes = kPageSize << order;
    if (chunk == nullptr) {
        chunk = static_cast<u8*>(pages_->map_pages(pages));
        if (chunk == nullptr) return nullptr;
        magic = kMappedMagic;
        bytes = kPageSize * pages;
    }
    auto* header = reinterpret_cast<Slab*>(chunk);
    *header = {{},
               magic,
               static_cast<u16>(kHeapClassCount),
               static_cast<u16>(magic == kLargeMagic ? order : 0),
               1,
               1,
               nullptr,
               nullptr,
               size,
               offset};
    if constexpr (kDebugAlloc) {
        __builtin_memset(chunk + sizeof(Slab), kHeapRedZone, offset - sizeof(Slab));
        __builtin_memset(chunk + offset + size, kHeapRedZone, rear_red_zone());
    }
    ++stats_.large_blocks;
    stats_.large_bytes += bytes;
    stats_.pages_held += bytes / kPageSize;
    account(static_cast<i64>(bytes));
    return chunk + offset;
}

void Heap::free_large(Slab* chunk, void* block, const void* caller) {
    u8* base = reinterpret_cast<u8*>(chunk);
    if (static_cast<u8*>(block) != base + chunk->large_offset) {
        report(HeapErrorKind::InvalidFree, block, 0, 0, caller);
        return;
    }
    const usize size = chunk->large_size;
    if constexpr (kDebugAlloc) {
        const u8* front_end = base + chunk->large_offset;
        const u8* front = first_not(base + sizeof(Slab), front_end, kHeapRedZone);
        const u8* rear_begin = front_end + size;
        const u8* rear = first_not(rear_begin, rear_begin + kLargeRearRedZone, kHeapRedZone);
        const u8* bad = front != front_end                       ? front
                        : rear != rear_begin + kLargeRearRedZone ? rear
                                                                 : nullptr;
        if (bad != nullptr)
            report(HeapErrorKind::Overflow, block, size, bad - static_cast<u8*>(block), caller);
    }
    const bool mapped = chunk->magic == kMappedMagic;
    const usize pages = mapped ? large_pages(size, chunk->large_offset) : usize{1} << chunk->order;
    const u64 bytes = kPageSize * pages;
    --stats_.large_blocks;
    stats_.large_bytes -= bytes;
    stats_.pages_held -= pages;
    account(-static_cast<i64>(bytes));
    // Kept after the free so that a second free of the same block is told
    // apart, until the pages are handed out again. A mapped block's pages
    // leave with their mapping: free() asks the provider before reading.
    chunk->magic = kFreedMagic;
    if (mapped)
        pages_->unmap_pages(chunk, pages);
    else
        pages_->free_pages(chunk, chunk->order);
}

}  // namespace kernel::mm
