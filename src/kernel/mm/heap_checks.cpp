// Debug builds' checks of a small block (kDebugAlloc,
// docs/memory-allocators.md "Debug checks"): a block handed out again must
// still be poison since its free; a block freed must be live, freed from its
// start, with its red zones intact. What they find goes to the error handler
// under the names describe() gives.
#include "kernel/mm/heap.hpp"
#include "kernel/mm/heap_block.hpp"

namespace kernel::mm {

using namespace heap_block;

ktl::string_view describe(HeapErrorKind kind) {
    switch (kind) {
        case HeapErrorKind::Overflow:
            return "heap-overflow";
        case HeapErrorKind::DoubleFree:
            return "double-free";
        case HeapErrorKind::UseAfterFree:
            return "use-after-free";
        case HeapErrorKind::InvalidFree:
            return "invalid-free";
    }
    return "heap-error";
}

void* Heap::hand_out_checked(void* pointer, SmallRequest request, usize size,
                             const void* caller) const {
    auto* block = static_cast<u8*>(pointer);
    // A freed block is poison from byte 12 on: anything else was written
    // after its free.
    const usize class_size = kHeapClassSizes[request.index];
    const usize prefix = request.prefix;
    const u8* end = block + class_size;
    const u8* bad = first_not(block + 12, end, kHeapPoison);
    if (load<u32>(block + 8) != kFreeTag) bad = block + 8;
    if (bad != end) report(HeapErrorKind::UseAfterFree, block, 0, bad - block, caller);
    store<u64>(block, size | u64{prefix} << kPrefixShift);
    store<u32>(block + 8, kLiveTag);
    __builtin_memset(block + 12, kHeapRedZone, prefix - 12);
    __builtin_memset(block + prefix + size, kHeapRedZone, class_size - prefix - size);
    return block + prefix;
}

FreeKind Heap::prepare_free_checked(const Slab* slab, void*& pointer, usize index,
                                    const void* caller) const {
    const usize class_size = kHeapClassSizes[index];
    const u8* objects = reinterpret_cast<const u8*>(slab) + kHeaderBytes;
    auto* given = static_cast<u8*>(pointer);
    const auto at = static_cast<usize>(given - objects);
    if (given < objects || at / class_size >= slab->capacity) {
        report(HeapErrorKind::InvalidFree, pointer, 0, 0, caller);
        return FreeKind::Rejected;
    }
    u8* block = given - at % class_size;
    const auto prefix = static_cast<usize>(given - block);
    // Live to free in one step, before anything else: of two CPUs freeing
    // the block at once (no lock is held here when a per-CPU cache takes
    // it), exactly one wins and the other reports the double free.
    u32 tag = kLiveTag;
    if (!__atomic_compare_exchange_n(reinterpret_cast<u32*>(block + 8), &tag, kFreeTag, false,
                                     __ATOMIC_ACQ_REL, __ATOMIC_ACQUIRE)) {
        report(tag == kFreeTag ? HeapErrorKind::DoubleFree : HeapErrorKind::InvalidFree, pointer, 0,
               0, caller);
        return FreeKind::Rejected;
    }
    const u64 word = load<u64>(block);
    const usize size = word & kSizeMask;
    if (word >> kPrefixShift != prefix || size > class_size - prefix) {
        // A pointer into a live block, not to its start: the block stays live.
        __atomic_store_n(reinterpret_cast<u32*>(block + 8), kLiveTag, __ATOMIC_RELEASE);
        report(HeapErrorKind::InvalidFree, pointer, 0, 0, caller);
        return FreeKind::Rejected;
    }
    const u8* end = block + class_size;
    const u8* front = first_not(block + 12, block + prefix, kHeapRedZone);
    const u8* rear = first_not(block + prefix + size, end, kHeapRedZone);
    const u8* bad = front != block + prefix ? front : rear != end ? rear : nullptr;
    if (bad != nullptr) report(HeapErrorKind::Overflow, pointer, size, bad - given, caller);
    __builtin_memset(block + 12, kHeapPoison, class_size - 12);
    pointer = block;
    return FreeKind::Small;
}

}  // namespace kernel::mm
