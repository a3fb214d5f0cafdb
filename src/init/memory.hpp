// The memory phases' work (docs/memory.md, docs/memory-allocators.md "In
// the kernel"), in the order kernel_main runs them: the free physical
// memory, the kernel's page tables, the frame allocator, the heap. Each
// panics with the reason when the machine cannot go on (no memory map, too
// little memory, no room for the first page tables); kernel_main's phases
// check what each needs and mark it done.
#pragma once

#include "boot/params.hpp"

namespace init {

// Records what the loader placed (and the first MiB) as reservations,
// computes the free physical memory, logs it, and refuses to go on with
// too little of it.
void compute_free_memory(const boot::BootParams& params);

// The kernel's page tables, their frames carved from the top of the largest
// free range the boot tables map (below 4 GiB): the frame allocator cannot
// exist before the direct map it reaches memory through.
void start_kernel_page_tables(const boot::BootParams& params);

// The buddy allocator over every free frame but the ones the page tables
// took, which become a reservation; page tables come from it from now on.
void start_frame_allocator(const boot::BootParams& params);

// The kernel heap on the frame allocator, and its line in the boot log.
void start_heap();

}  // namespace init
