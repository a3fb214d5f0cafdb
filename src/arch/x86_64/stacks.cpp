#include "arch/x86_64/stacks.hpp"

#include "arch/x86_64/paging/paging.hpp"
#include "arch/x86_64/stack_area.hpp"
#include "kernel/panic/panic.hpp"

extern "C" const u8 __data_start[], __kernel_virtual_end[];

namespace arch {

void register_kernel_stack(const kernel::mm::KernelStack& stack) {
    const u64 data_start = reinterpret_cast<uptr>(__data_start);
    const u64 image_end = reinterpret_cast<uptr>(__kernel_virtual_end);
    // Only pages of the image are mapped by paging::init with 4 KiB pages
    // that can be unmapped one by one; the stack area's guards are never
    // mapped at all (stack_area.cpp).
    const bool in_image = stack.guard >= data_start && stack.guard < image_end;
    const bool in_area =
        stack.guard >= kStackAreaBase && stack.guard - kStackAreaBase < kStackAreaSize;
    if (stack.guard != 0 && !in_image && !in_area)
        kernel::panic(
            "stacks: the {} guard page {:#x} is neither a page of the kernel's .data/.bss nor "
            "in the kernel stack area",
            kernel::mm::label(stack).view(), stack.guard);
    const Result<void, kernel::mm::StackError> added = kernel::mm::kernel_stacks().add(stack);
    if (!added)
        kernel::panic("stacks: cannot register the {} at {:#x}-{:#x}: {}",
                      kernel::mm::label(stack).view(), stack.base, stack.top,
                      kernel::mm::describe(added.error()));
    if (in_image && paging::initialized()) paging::unmap_guard_pages();
}

}  // namespace arch
