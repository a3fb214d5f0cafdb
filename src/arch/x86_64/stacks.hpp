// How the architecture registers a kernel stack: in the kernel's registry
// (kernel/mm/kernel_stacks.hpp) and, for its guard page, in the page tables.
#pragma once

#include "kernel/mm/kernel_stacks.hpp"

namespace arch {

// Registers `stack`, whose guard page must be a page of the kernel image's
// .data/.bss (where the boot CPU's stacks are) or of the kernel stack area
// (stack_area.hpp, never mapped), and leaves an image guard unmapped:
// paging::init does so for stacks registered before it, this call at once
// for later ones. Panics with the reason when the registry refuses
// the stack.
void register_kernel_stack(const kernel::mm::KernelStack& stack);

}  // namespace arch
