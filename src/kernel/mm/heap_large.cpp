// Large blocks: requests above the last size class (or aligned beyond a
// slab's header) get a whole chunk of 2^order pages of their own, its
// header in front and, in debug builds, red zones around the caller's bytes.
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

}  // namespace

void* Heap::allocate_large(usize size, usize align) {
    const usize offset = align > kHeaderBytes ? align : kHeaderBytes;
    const usize rear = kDebugAlloc ? kLargeRearRedZone : 0;
    const usize pages = (offset + size + rear + 4095) / 4096;
    const u32 order = order_for_pages(pages);
    if (order > 40) return nullptr;
    auto* chunk = static_cast<u8*>(pages_->allocate_pages(order));
    if (chunk == nullptr) return nullptr;
    auto* header = reinterpret_cast<Slab*>(chunk);
    *header = {{},
               kLargeMagic,
               static_cast<u16>(kHeapClassCount),
               static_cast<u16>(order),
               1,
               1,
               nullptr,
               nullptr,
               size,
               offset};
    const u64 bytes = u64{4096} << order;
    if constexpr (kDebugAlloc) {
        __builtin_memset(chunk + sizeof(Slab), kHeapRedZone, offset - sizeof(Slab));
        __builtin_memset(chunk + offset + size, kHeapRedZone, rear);
    }
    ++stats_.large_blocks;
    stats_.large_bytes += bytes;
    stats_.pages_held += usize{1} << order;
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
    const u32 order = chunk->order;
    const u64 bytes = u64{4096} << order;
    --stats_.large_blocks;
    stats_.large_bytes -= bytes;
    stats_.pages_held -= usize{1} << order;
    account(-static_cast<i64>(bytes));
    // Kept after the free so that a second free of the same block is told
    // apart, until the pages are handed out again.
    chunk->magic = kFreedMagic;
    pages_->free_pages(chunk, order);
}

}  // namespace kernel::mm
