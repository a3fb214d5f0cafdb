// The kernel heap's core: size classes of 16 B to 3 KiB carved from slabs of
// one 16 KiB chunk, larger blocks as whole chunks of 2^order pages, both
// taken from a PageProvider (frames of the buddy allocator through the direct
// map in the kernel, kernel/mm/frame_pages.hpp; an arena in host tests).
// Design, classes and debug checks: docs/memory-allocators.md.
//
// Unlocked and hardware-independent: wrap it in Locked<> (kernel/mm/locked.hpp).
#pragma once

#include "kernel/mm/alloc_debug.hpp"
#include "lib/ktl/intrusive_list.hpp"
#include "lib/ktl/string_view.hpp"
#include "lib/ktl/types.hpp"

namespace kernel::mm {

// Where the heap's memory comes from: blocks of 2^order 4 KiB pages, aligned
// to their size (a buddy allocator gives exactly that).
class PageProvider {
public:
    [[nodiscard]] virtual void* allocate_pages(u32 order) = 0;  // null when out of memory
    virtual void free_pages(void* pages, u32 order) = 0;

protected:
    ~PageProvider() = default;
};

inline constexpr u32 kHeapChunkOrder = 2;  // every slab and large block: at least 16 KiB
inline constexpr usize kHeapChunkBytes = usize{4096} << kHeapChunkOrder;
inline constexpr usize kHeapMaxAlign = 4096;
// The size classes; requests above the last are large (whole chunks).
inline constexpr usize kHeapClassSizes[] = {16,  32,  48,  64,   96,   128,  192, 256,
                                            384, 512, 768, 1024, 1536, 2048, 3072};
inline constexpr usize kHeapClassCount = sizeof(kHeapClassSizes) / sizeof(kHeapClassSizes[0]);
inline constexpr usize kHeapMaxSmall = kHeapClassSizes[kHeapClassCount - 1];

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
    [[nodiscard]] static usize class_for(usize size);

private:
    struct Slab;
    struct ClassState {
        ktl::intrusive_list<Slab> partial;  // slabs with a free block, most recently used first
        u32 empty_slabs = 0;
    };

    void* allocate_small(usize index, usize size, usize prefix, const void* caller);
    void* allocate_large(usize size, usize align);
    Slab* new_slab(usize index);
    void release_slab(Slab* slab);
    void free_small(Slab* slab, void* pointer, const void* caller);
    void free_large(Slab* chunk, void* block, const void* caller);
    void account(i64 bytes);
    void report(HeapErrorKind kind, const void* block, usize size, isize offset,
                const void* caller);

    PageProvider* pages_ = nullptr;
    HeapErrorHandler on_error_ = nullptr;
    void* error_context_ = nullptr;
    ClassState classes_[kHeapClassCount]{};
    HeapStats stats_{};
};

}  // namespace kernel::mm
