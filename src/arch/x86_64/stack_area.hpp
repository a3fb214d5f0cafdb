// Kernel stacks after boot: frames from the frame allocator, mapped through
// the kernel address space (kernel_space.hpp) into the kernel stack area,
// each with an unmapped guard page below it, and registered in the stack
// registry (kernel/mm/kernel_stacks.hpp) so that an overflow is reported as
// that stack's. The boot CPU's stacks, needed before any of this exists,
// stay in the image (interrupts/gdt.cpp). Design: docs/virtual-memory.md.
#pragma once

#include "arch/x86_64/paging/areas.hpp"
#include "kernel/mm/kernel_stacks.hpp"
#include "lib/result.hpp"
#include "lib/vm.hpp"

namespace arch {

// PML4 entry 385, after the MMIO area (areas.hpp): 512 GiB of stack slots.
// Virtual space is handed out once and never reused (nothing frees a stack
// yet), so a slot's guard page can never become another stack's page.
using paging::kStackAreaBase;
using paging::kStackAreaSize;

// A stack of `size` bytes (a multiple of 4 KiB) named `name` (kept by the
// registry: a string that lives forever), CPU `cpu`'s: its pages come from the Normal
// zone one frame at a time (no contiguous block needed), mapped writable and
// not executable. On failure nothing stays mapped or allocated, and the
// error says why (VmError::OutOfMemory: no frame, or no room in the area).
[[nodiscard]] Result<kernel::mm::KernelStack, VmError> allocate_kernel_stack(const char* name,
                                                                             u32 cpu, u64 size);

}  // namespace arch
