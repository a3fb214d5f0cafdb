// The kernel heap: the one Heap (kernel/mm/heap.hpp), its pages from the
// frame allocator through the direct map, behind a spinlock taken with
// interrupts off, and in front of it a cache of free blocks per CPU and
// class (kernel/mm/heap_cache.hpp) that most allocations and frees of
// small blocks never leave. operator new and delete (kernel/mm/new.cpp) use it.
// Built by the Heap init phase, after the frame allocator.
//
// Locks nest in one order only: the heap's lock, then (for a new slab or a
// large block) the frame allocator's; never the other way.
#pragma once

#include "kernel/mm/heap.hpp"
#include "lib/ktl/types.hpp"

namespace kernel::mm {

void init_kernel_heap();
[[nodiscard]] bool kernel_heap_ready();

// `size` bytes aligned to `align` (a power of two up to kHeapMaxAlign), or
// null when memory is out, the alignment is not one, or the heap is not
// built yet. `caller` is who an error report names.
[[nodiscard]] void* heap_allocate(usize size, usize align, const void* caller);
void heap_free(void* block, const void* caller);  // null: nothing happens

// A copy taken under the lock; blocks in the per-CPU caches count as free
// (bytes_in_use, blocks_in_use), and as held (pages_held, high_water).
[[nodiscard]] HeapStats heap_stats();
// Bytes in the per-CPU caches, every CPU's: free for their CPU only.
[[nodiscard]] u64 heap_cached_bytes();
// Gives this CPU's cached blocks back to the heap's core (and its empty
// slabs back to the frame allocator): the out-of-memory path's, before it
// tries once more.
void heap_drain_this_cpu();

}  // namespace kernel::mm
