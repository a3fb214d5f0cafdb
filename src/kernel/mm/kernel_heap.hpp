// The kernel heap: the one Heap (kernel/mm/heap.hpp), its pages from the
// frame allocator through the direct map, behind a spinlock taken with
// interrupts off. operator new and delete (kernel/mm/new.cpp) use it.
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

// A copy taken under the lock.
[[nodiscard]] HeapStats heap_stats();

}  // namespace kernel::mm
