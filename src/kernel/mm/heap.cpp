#include "kernel/mm/heap.hpp"

namespace kernel::mm {

namespace {

using heap_layout::kHeaderBytes;
using heap_layout::kSlabMagic;
static_assert(sizeof(void*) == 8);

constexpr u32 kLargeMagic = 0x4c524745;  // "LRGE"
constexpr u32 kFreedMagic = 0x46524544;  // "FRED": a large block given back

// Debug layout of a small block of class size C (release: the caller's
// bytes start at the block, nothing else):
//   [0, 8)        free: the next free block; live: the requested size,
//                 and the prefix in bits 48 and up (so that a pointer into
//                 the block is not taken for the block)
//   [8, 12)       kLiveTag or kFreeTag
//   [12, prefix)  front red zone (prefix = 16, or the alignment up to 64)
//   [prefix, prefix + size)   the caller's bytes
//   [prefix + size, C)        rear red zone, at least kRearRedZone bytes
// A free block is kHeapPoison from byte 12 to its end.
constexpr u32 kLiveTag = 0x4556494c;  // "LIVE"
constexpr u32 kFreeTag = 0x45455246;  // "FREE"
constexpr u32 kPrefixShift = 48;
constexpr u64 kSizeMask = (u64{1} << kPrefixShift) - 1;
constexpr usize kLargeRearRedZone = 64;

static_assert(kHeaderBytes % 64 == 0, "blocks of power-of-two classes up to 64 B stay aligned");

template <typename T>
T load(const u8* at) {
    T value;
    __builtin_memcpy(&value, at, sizeof value);
    return value;
}
template <typename T>
void store(u8* at, T value) {
    __builtin_memcpy(at, &value, sizeof value);
}

// The first byte in [from, to) that is not `expected`, or `to`.
[[maybe_unused]] const u8* first_not(const u8* from, const u8* to, u8 expected) {
    for (; from < to; ++from)
        if (*from != expected) return from;
    return to;
}

u32 order_for_pages(usize pages) {
    u32 order = 0;
    while ((usize{1} << order) < pages) ++order;
    return order < kHeapChunkOrder ? kHeapChunkOrder : order;
}

}  // namespace

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

void Heap::init(PageProvider& pages, HeapErrorHandler on_error, void* error_context) {
    pages_ = &pages;
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
    if (chunk->magic == kLargeMagic)
        free_large(chunk, block, caller);
    else if (chunk->magic == kFreedMagic)
        report(HeapErrorKind::DoubleFree, block, chunk->large_size, 0, caller);
    else
        report(HeapErrorKind::InvalidFree, block, 0, 0, caller);
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

usize Heap::usable_size(const void* block) {
    const auto* chunk =
        reinterpret_cast<const Slab*>(reinterpret_cast<uptr>(block) & ~(kHeapChunkBytes - 1));
    if (chunk->magic == kLargeMagic) {
        if constexpr (kDebugAlloc) return chunk->large_size;
        return (usize{4096} << chunk->order) - chunk->large_offset;
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
