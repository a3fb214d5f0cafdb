// The kernel heap's core: size classes of 16 B to 3 KiB carved from slabs of
// one 16 KiB chunk, larger blocks as whole chunks of 2^order pages, both
// taken from a PageProvider (frames of the buddy allocator through the direct
// map in the kernel, kernel/mm/frame_pages.hpp; an arena in host tests); a
// large block no chunk can hold is pages mapped for it alone (map_pages).
// Design, classes and debug checks: docs/memory-allocators.md.
//
// Unlocked and hardware-independent: wrap it in Locked<> (kernel/mm/locked.hpp).
#pragma once

#include "kernel/mm/alloc_debug.hpp"
#include "lib/ktl/intrusive_list.hpp"
#include "lib/ktl/string_view.hpp"
#include "lib/ktl/types.hpp"
#include "lib/units.hpp"

namespace kernel::mm {

// Where the heap's memory comes from: blocks of 2^order 4 KiB pages, aligned
// to their size (a buddy allocator gives exactly that).
class PageProvider {
public:
    [[nodiscard]] virtual void* allocate_pages(u32 order) = 0;  // null when out of memory
    virtual void free_pages(void* pages, u32 order) = 0;

    // For a large block allocate_pages() cannot give in one piece (past its
    // largest order, or memory too fragmented for one): `count` pages that
    // are contiguous only virtually, mapped for the block alone inside
    // mapped_area() at an address aligned to kHeapChunkBytes; null when
    // there is no room. A provider without such an area keeps the defaults.
    [[nodiscard]] virtual void* map_pages(usize count) {
        (void)count;
        return nullptr;
    }
    // Takes back what map_pages(count) returned: unmapped, then its pages freed.
    virtual void unmap_pages(void* pages, usize count) {
        (void)pages;
        (void)count;
    }
    // Whether `at` (inside mapped_area()) is in a mapping map_pages() made
    // and unmap_pages() has not taken back: whether reading it is safe.
    [[nodiscard]] virtual bool is_mapped(const void* at) {
        (void)at;
        return false;
    }
    struct Area {
        uptr base = 0, end = 0;
        [[nodiscard]] bool contains(const void* at) const {
            return reinterpret_cast<uptr>(at) - base < end - base;
        }
    };
    [[nodiscard]] virtual Area mapped_area() const { return {}; }

protected:
    ~PageProvider() = default;
};

inline constexpr u32 kHeapChunkOrder = 2;  // every slab and large block: at least 16 KiB
inline constexpr usize kHeapChunkBytes = usize{kPageSize} << kHeapChunkOrder;
inline constexpr usize kHeapMaxAlign = kPageSize;  // a large block's offset fits its first page
// The size classes; requests above the last are large (whole chunks).
inline constexpr usize kHeapClassSizes[] = {16,  32,  48,  64,   96,   128,  192, 256,
                                            384, 512, 768, 1024, 1536, 2048, 3072};
inline constexpr usize kHeapClassCount = sizeof(kHeapClassSizes) / sizeof(kHeapClassSizes[0]);
inline constexpr usize kHeapMaxSmall = kHeapClassSizes[kHeapClassCount - 1];
// Empty slabs a class keeps rather than giving back: at most 15 classes x 4
// x 16 KiB = 960 KiB held empty, and only by classes that were that full.
inline constexpr u32 kKeptEmptySlabs = 4;

// Debug builds (kDebugAlloc): freed blocks are filled with this, red zones
// around each block with kHeapRedZone.
inline constexpr u8 kHeapPoison = 0xDF;
inline constexpr u8 kHeapRedZone = 0xCB;

enum class HeapErrorKind : u8 {
    Overflow,      // a red zone around the block was written (found at free)
    DoubleFree,    // the block is already free
    UseAfterFree,  // a freed block was written (found when it is handed out again)
    InvalidFree,   // not a block this heap handed out
};
// "heap-overflow", "double-free", "use-after-free", "invalid-free": the
// names the kernel's crash reports use.
[[nodiscard]] ktl::string_view describe(HeapErrorKind kind);

struct HeapError {
    HeapErrorKind kind;
    const void* block;   // the address the caller had (or got)
    usize size;          // its requested size, 0 when unknown
    isize offset;        // the first damaged byte, from the block's start
    const void* caller;  // free()'s or allocate()'s return address
};
// The kernel's handler panics; when a handler returns (host tests), a
// double or invalid free is ignored, an overflowed block is still freed and
// a written freed block is still handed out.
using HeapErrorHandler = void (*)(const HeapError& error, void* context);

struct HeapClassStats {
    usize size;  // the class's block size
    u64 blocks_in_use;
    u64 slabs;
};

struct HeapStats {
    u64 bytes_in_use;  // blocks handed out, at their class size or whole pages
    u64 high_water;    // the most bytes_in_use has been
    u64 large_blocks;  // large blocks in use
    u64 large_bytes;   // their pages
    u64 pages_held;    // pages taken from the provider and not given back
    HeapClassStats classes[kHeapClassCount];
};

// The layout the inline fast paths below share with heap.cpp.
namespace heap_layout {
inline constexpr usize kHeaderBytes = 64;      // a chunk's header; blocks start after it
inline constexpr u32 kSlabMagic = 0x534c4142;  // "SLAB"
inline constexpr usize kDebugPrefix = 16;      // debug: the block's header and front red zone
inline constexpr usize kRearRedZone = 8;       // debug: at least this after the caller's bytes
// The smallest class holding `bytes`, for bytes <= kHeapMaxSmall.
struct ClassTable {
    u8 index[kHeapMaxSmall / 16 + 1]{};
    constexpr ClassTable() {
        usize c = 0;
        for (usize i = 0; i <= kHeapMaxSmall / 16; ++i) {
            while (kHeapClassSizes[c] < i * 16) ++c;
            index[i] = static_cast<u8>(c);
        }
    }
};
inline constexpr ClassTable kClassTable;
}  // namespace heap_layout

// Where a small request goes: its class and, in debug builds, the offset of
// the caller's bytes in the block (the front red zone).
struct SmallRequest {
    usize index;
    usize prefix;
};

// What prepare_free() found (kernel/mm/heap_cache.hpp).
enum class FreeKind : u8 {
    Small,     // a live small block, now marked free: give it back with give()
    Other,     // a large block, or an error only the locked core can tell
    Rejected,  // an error already reported: nothing more to do
};

class Heap {
public:
    void init(PageProvider& pages, HeapErrorHandler on_error, void* error_context = nullptr);

    // `size` bytes aligned to `align` (a power of two up to kHeapMaxAlign);
    // null when out of memory or the alignment is not one. Size 0 gives a
    // distinct minimal block.
    // `caller` is who an error report names: the return address of this
    // call when null (a wrapper such as operator new passes its own caller).
    [[nodiscard]] __attribute__((noinline)) void* allocate(usize size, usize align = 16,
                                                           const void* caller = nullptr);
    // A block from allocate(), or null (nothing happens).
    __attribute__((noinline)) void free(void* block, const void* caller = nullptr);

    // The bytes usable at `block` (at least what was asked for).
    [[nodiscard]] static usize usable_size(const void* block);
    [[nodiscard]] const HeapStats& stats() const { return stats_; }
    // The class index serving `size` bytes at default alignment, or
    // kHeapClassCount for a large block.
    [[nodiscard]] static usize class_for(usize size) {
        if (size > kHeapMaxSmall) return kHeapClassCount;
        return heap_layout::kClassTable.index[(size + 15) / 16];
    }
    // The class and prefix for a request, false when it is a large one (or
    // the alignment is not a power of two up to kHeapMaxAlign).
    [[nodiscard]] static bool small_request(usize size, usize align, SmallRequest& request) {
        using namespace heap_layout;
        if (align == 0 || (align & (align - 1)) != 0 || align > kHeaderBytes) return false;
        if (align < 16) align = 16;
        const usize prefix = kDebugAlloc ? (align > kDebugPrefix ? align : kDebugPrefix) : 0;
        if (size > kHeapMaxSmall) return false;
        const usize need = prefix + size + (kDebugAlloc ? kRearRedZone : 0);
        if (need > kHeapMaxSmall) return false;
        // Blocks of a class are aligned to the largest power of two
        // dividing its size (capped at 64 by the header): 48 B blocks are
        // only 16-aligned, so a 32-aligned request skips to 64.
        usize index = class_for(need);
        if (align > 16) {  // every class is a multiple of 16
            while (index < kHeapClassCount && (kHeapClassSizes[index] & (align - 1)) != 0) ++index;
            if (index == kHeapClassCount) return false;
        }
        request = {index, prefix};
        return true;
    }

    // The pieces a per-CPU front end (kernel/mm/heap_cache.hpp) builds on.
    // take() and give() change the slabs and the statistics: call them under
    // the heap's lock. hand_out() and prepare_free() touch only the block
    // and the fields of its slab that stay fixed while it has a live block:
    // they need no lock. allocate() is take(1) then hand_out(); free() of a
    // small block is prepare_free() then give(1).
    //
    // Up to `count` free blocks of class `index` as a chain linked through
    // their first word, each counted as in use; `got` says how many (0 and
    // null when out of memory). They are still marked free (debug builds).
    [[nodiscard]] void* take(usize index, usize count, usize& got);
    // At least `want` free blocks of class `index` (fewer only when out of
    // memory), chained like take()'s, by whole slab free lists: each slab
    // gives its entire list in one step and the lists are joined at their
    // tails, so the work under the lock is per slab, not per block. `got`
    // is below `want` plus one slab's capacity.
    [[nodiscard]] void* take_slabs(usize index, usize want, usize& got);
    // `count` blocks of class `index` chained like take()'s, each already
    // through prepare_free(), back to their slabs. Consecutive blocks of
    // one slab go back as one run (one splice onto its list), so a chain
    // grouped by slab costs a pointer step per block and the slab work per run.
    void give(usize index, void* chain, usize count);
    // A block from take() made the caller's: in debug builds checked for
    // writes since its free, tagged live, red zones written. Returns the
    // caller's address.
    [[nodiscard]] void* hand_out(void* block, SmallRequest request, usize size,
                                 const void* caller) const {
        if constexpr (!kDebugAlloc) return block;
        return hand_out_checked(block, request, size, caller);
    }
    // Checks a block about to be freed and, when it is a live small block,
    // marks it free (debug builds: poison; two CPUs freeing it at once are
    // told apart atomically) and sets `block` to its start, `index` to its class.
    [[nodiscard]] FreeKind prepare_free(void*& block, usize& index, const void* caller) const;

private:
    // The first 64 bytes of every chunk: a slab's or a large block's
    // header. free() finds it by rounding the block's address down to the
    // chunk size, which works because every chunk is aligned to its size
    // and no block starts beyond its chunk's first 16 KiB. The node base
    // links a slab into its class's partial list.
    struct Slab : ktl::list_node<> {
        u32 magic = 0;
        u16 class_index = 0;  // kHeapClassCount for a large block
        u16 order = 0;        // large: the chunk's order (mapped: 0, see mapped_pages())
        u32 in_use = 0;
        u32 capacity = 0;
        void* free_list = nullptr;  // the first free block
        void* free_tail = nullptr;  // the last one, valid while free_list is not null
        usize large_size = 0;       // large: the requested size
        usize large_offset = 0;     // large: where the block starts in the chunk
    };
    static_assert(sizeof(Slab) <= heap_layout::kHeaderBytes);
    struct ClassState {
        ktl::intrusive_list<Slab> partial;  // slabs with a free block, most recently used first
        u32 empty_slabs = 0;
    };

    void* allocate_large(usize size, usize align);
    Slab* new_slab(usize index);
    void release_slab(Slab* slab);
    void put_back(Slab* slab, u8* first, u8* last, u32 count);
    void* hand_out_checked(void* pointer, SmallRequest request, usize size,
                           const void* caller) const;
    FreeKind prepare_free_checked(const Slab* slab, void*& pointer, usize index,
                                  const void* caller) const;
    void free_large(Slab* chunk, void* block, const void* caller);
    // A large block's whole pages: its header, front gap, bytes and rear red zone.
    [[nodiscard]] static usize large_pages(usize size, usize offset);
    void account(i64 bytes);
    void report(HeapErrorKind kind, const void* block, usize size, isize offset,
                const void* caller) const;

    PageProvider* pages_ = nullptr;
    PageProvider::Area mapped_area_{};  // pages_->mapped_area(), read once
    HeapErrorHandler on_error_ = nullptr;
    void* error_context_ = nullptr;
    ClassState classes_[kHeapClassCount]{};
    HeapStats stats_{};
};

inline FreeKind Heap::prepare_free(void*& block, usize& index, const void* caller) const {
    // A mapped block's header may be gone with its pages (a second free):
    // the locked core asks the provider before reading it.
    if (mapped_area_.contains(block)) [[unlikely]]
        return FreeKind::Other;
    const auto* slab =
        reinterpret_cast<const Slab*>(reinterpret_cast<uptr>(block) & ~(kHeapChunkBytes - 1));
    if (slab->magic != heap_layout::kSlabMagic) return FreeKind::Other;
    index = slab->class_index;
    if constexpr (!kDebugAlloc) return FreeKind::Small;
    return prepare_free_checked(slab, block, index, caller);
}

}  // namespace kernel::mm
