// The heap core's entry points, its statistics and the size classes'
// slabs: allocate() and free() dispatch between a class's slabs (here:
// taking blocks from them and giving them back) and large blocks
// (heap_large.cpp). The slabs stay with the entry points and the
// statistics because they are the paths that run per block: free() keeps
// give() inline, and take() and give() keep account() inline. Debug
// builds' checks of a block are in heap_checks.cpp; the block layout the
// three files share is heap_block.hpp.
#include "kernel/mm/heap.hpp"

#include "kernel/mm/heap_block.hpp"

namespace kernel::mm {

using namespace heap_block;

void Heap::init(PageProvider& pages, HeapErrorHandler on_error, void* error_context) {
    pages_ = &pages;
    mapped_area_ = pages.mapped_area();
    on_error_ = on_error;
    error_context_ = error_context;
    stats_ = {};
    for (usize i = 0; i < kHeapClassCount; ++i) {
        classes_[i] = {};
        stats_.classes[i].size = kHeapClassSizes[i];
    }
}

void Heap::account(i64 bytes) {
    stats_.bytes_in_use += static_cast<u64>(bytes);
    if (stats_.bytes_in_use > stats_.high_water) stats_.high_water = stats_.bytes_in_use;
}

void Heap::report(HeapErrorKind kind, const void* block, usize size, isize offset,
                  const void* caller) const {
    if (on_error_ == nullptr) __builtin_trap();  // init() was never called
    on_error_({kind, block, size, offset, caller}, error_context_);
}

void* Heap::allocate(usize size, usize align, const void* caller) {
    if (caller == nullptr) caller = __builtin_return_address(0);
    if (align == 0 || (align & (align - 1)) != 0 || align > kHeapMaxAlign) return nullptr;
    if (size > (usize{1} << 46)) return nullptr;  // more than any machine has
    SmallRequest request{};
    if (small_request(size, align, request)) {
        usize got = 0;
        void* block = take(request.index, 1, got);
        if (block == nullptr) return nullptr;
        return hand_out(block, request, size, caller);
    }
    return allocate_large(size, align < 16 ? 16 : align);
}

Heap::Slab* Heap::new_slab(usize index) {
    auto* chunk = static_cast<u8*>(pages_->allocate_pages(kHeapChunkOrder));
    if (chunk == nullptr) return nullptr;
    const usize size = kHeapClassSizes[index];
    auto* slab = reinterpret_cast<Slab*>(chunk);
    const u32 capacity = static_cast<u32>((kHeapChunkBytes - kHeaderBytes) / size);
    *slab = {{}, kSlabMagic, static_cast<u16>(index), 0, 0, capacity, nullptr, nullptr, 0, 0};
    // Lowest address first, so a new slab hands out its blocks in order.
    u8* objects = chunk + kHeaderBytes;
    slab->free_tail = objects + (capacity - 1) * size;
    for (u32 i = capacity; i-- > 0;) {
        u8* block = objects + i * size;
        if constexpr (kDebugAlloc) {
            store<u32>(block + 8, kFreeTag);
            __builtin_memset(block + 12, kHeapPoison, size - 12);
        }
        store<void*>(block, slab->free_list);
        slab->free_list = block;
    }
    ClassState& c = classes_[index];
    c.partial.push_front(*slab);
    ++c.empty_slabs;
    ++stats_.classes[index].slabs;
    stats_.pages_held += usize{1} << kHeapChunkOrder;
    return slab;
}

void* Heap::take(usize index, usize count, usize& got) {
    ClassState& c = classes_[index];
    const usize class_size = kHeapClassSizes[index];
    void* chain = nullptr;
    void** tail = &chain;
    got = 0;
    while (got < count) {
        Slab* slab = c.partial.front();
        if (slab == nullptr) {
            slab = new_slab(index);
            if (slab == nullptr) break;
        }
        // The slab's whole free list at once when it fits: a refill of
        // several blocks walks each slab once.
        if (slab->in_use == 0) --c.empty_slabs;
        while (got < count && slab->free_list != nullptr) {
            auto* block = static_cast<u8*>(slab->free_list);
            slab->free_list = load<void*>(block);
            ++slab->in_use;
            *tail = block;
            tail = reinterpret_cast<void**>(block);
            ++got;
        }
        if (slab->free_list == nullptr) c.partial.remove(*slab);  // full: out of the partial list
    }
    *tail = nullptr;
    stats_.classes[index].blocks_in_use += got;
    account(static_cast<i64>(got * class_size));
    return chain;
}

void* Heap::take_slabs(usize index, usize want, usize& got) {
    ClassState& c = classes_[index];
    void* chain = nullptr;
    void** tail = &chain;
    got = 0;
    while (got < want) {
        Slab* slab = c.partial.front();
        if (slab == nullptr) {
            slab = new_slab(index);
            if (slab == nullptr) break;
        }
        if (slab->in_use == 0) --c.empty_slabs;
        // The list ends in a null link already: the next slab's list (or
        // the final null) goes into its tail block's first word.
        *tail = slab->free_list;
        tail = static_cast<void**>(slab->free_tail);
        got += slab->capacity - slab->in_use;
        slab->in_use = slab->capacity;
        slab->free_list = nullptr;
        c.partial.remove(*slab);  // full now: every block is the caller's
    }
    *tail = nullptr;
    stats_.classes[index].blocks_in_use += got;
    account(static_cast<i64>(got * kHeapClassSizes[index]));
    return chain;
}

void Heap::free(void* block, const void* caller) {
    if (block == nullptr) return;
    if (caller == nullptr) caller = __builtin_return_address(0);
    usize index = 0;
    switch (prepare_free(block, index, caller)) {
        case FreeKind::Small:
            store<void*>(static_cast<u8*>(block), nullptr);
            give(index, block, 1);
            return;
        case FreeKind::Rejected:
            return;
        case FreeKind::Other:
            break;
    }
    auto* chunk = reinterpret_cast<Slab*>(reinterpret_cast<uptr>(block) & ~(kHeapChunkBytes - 1));
    // The pages of a freed mapped block are gone: reading its header would
    // fault, so the provider is asked first.
    if (mapped_area_.contains(chunk) && !pages_->is_mapped(chunk)) {
        report(HeapErrorKind::DoubleFree, block, 0, 0, caller);
        return;
    }
    if (chunk->magic == kLargeMagic || chunk->magic == kMappedMagic)
        free_large(chunk, block, caller);
    else if (chunk->magic == kFreedMagic)
        report(HeapErrorKind::DoubleFree, block, chunk->large_size, 0, caller);
    else
        report(HeapErrorKind::InvalidFree, block, 0, 0, caller);
}

void Heap::give(usize index, void* chain, usize count) {
    const usize class_size = kHeapClassSizes[index];
    auto slab_of = [](const u8* block) {
        return reinterpret_cast<Slab*>(reinterpret_cast<uptr>(block) & ~(kHeapChunkBytes - 1));
    };
    auto* block = static_cast<u8*>(chain);
    for (usize given = 0; given < count;) {
        // The longest run of blocks of one slab from here: one splice.
        u8* const first = block;
        Slab* const slab = slab_of(first);
        u8* last = first;
        u32 run = 1;
        while (given + run < count) {
            auto* following = load<u8*>(last);
            if (slab_of(following) != slab) break;
            last = following;
            ++run;
        }
        given += run;
        if (given < count) block = load<u8*>(last);
        put_back(slab, first, last, run);
    }
    stats_.classes[index].blocks_in_use -= count;
    account(-static_cast<i64>(count * class_size));
}

void Heap::put_back(Slab* slab, u8* first, u8* last, u32 count) {
    const bool was_full = slab->free_list == nullptr;
    store<void*>(last, slab->free_list);
    if (was_full) slab->free_tail = last;
    slab->free_list = first;
    slab->in_use -= count;
    ClassState& c = classes_[slab->class_index];
    if (was_full) c.partial.push_front(*slab);
    if (slab->in_use == 0) {
        // A few empty slabs per class stay, so that a class going back and
        // forth between 0 and a few slabs' worth of blocks (a queue filled
        // and drained) does not rebuild slabs from the provider each time.
        if (c.empty_slabs < kKeptEmptySlabs)
            ++c.empty_slabs;
        else
            release_slab(slab);
    }
}

void Heap::release_slab(Slab* slab) {
    ClassState& c = classes_[slab->class_index];
    c.partial.remove(*slab);
    --stats_.classes[slab->class_index].slabs;
    stats_.pages_held -= usize{1} << kHeapChunkOrder;
    slab->magic = 0;
    pages_->free_pages(slab, kHeapChunkOrder);
}

usize Heap::usable_size(const void* block) {
    const auto* chunk =
        reinterpret_cast<const Slab*>(reinterpret_cast<uptr>(block) & ~(kHeapChunkBytes - 1));
    if (chunk->magic == kLargeMagic) {
        if constexpr (kDebugAlloc) return chunk->large_size;
        return (usize{kPageSize} << chunk->order) - chunk->large_offset;
    }
    if (chunk->magic == kMappedMagic) {
        if constexpr (kDebugAlloc) return chunk->large_size;
        return large_pages(chunk->large_size, chunk->large_offset) * kPageSize -
               chunk->large_offset;
    }
    const usize class_size = kHeapClassSizes[chunk->class_index];
    if constexpr (kDebugAlloc) {
        const u8* objects = reinterpret_cast<const u8*>(chunk) + kHeaderBytes;
        const auto at = static_cast<usize>(static_cast<const u8*>(block) - objects);
        return load<u64>(objects + at / class_size * class_size) & kSizeMask;
    }
    return class_size;
}

}  // namespace kernel::mm
