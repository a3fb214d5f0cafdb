#include "arch/x86_64/stack_area.hpp"

#include "arch/x86_64/bits.h"
#include "arch/x86_64/paging/kernel_space.hpp"
#include "arch/x86_64/paging/paging.hpp"
#include "arch/x86_64/stacks.hpp"
#include "kernel/mm/frame_allocator.hpp"
#include "kernel/mm/kernel_heap.hpp"
#include "kernel/mm/kernel_stacks.hpp"
#include "kernel/smp/per_cpu.hpp"
#include "kernel/sync/guard.hpp"
#include "kernel/sync/spinlock.hpp"

namespace arch {

namespace {

// The next free slot of the area. Owner: whoever allocates a stack, under
// g_lock (taken with interrupts off, never from an interrupt handler).
kernel::Spinlock g_lock;
u64 g_next = kStackAreaBase;

// Reserves guard + stack, or 0 when the area is full.
u64 reserve(u64 bytes) {
    kernel::IrqSaveSpinlockGuard guard(g_lock);
    if (kStackAreaBase + kStackAreaSize - g_next < bytes) return 0;
    const u64 at = g_next;
    g_next += bytes;
    return at;
}

// Unmaps and frees the first `pages` pages of the stack at `base`.
void give_back(u64 base, u64 pages) {
    for (u64 i = 0; i < pages; ++i) {
        const VirtAddr page{base + i * kPageSize};
        const Result<paging::Mapping, VmError> m = paging::kernel_translate(page);
        if (!m) continue;
        const PhysAddr frame = m->page;
        (void)paging::kernel_unmap(page, kPageSize);
        kernel::mm::free_frames(frame, 0);
    }
}

// Room in the stack registry for one more stack. Its storage grows from
// the heap when full: to every stack the CPUs with a per-CPU area have (a
// kernel stack and the IST stacks each: one step when the Smp phase
// allocates the APs' stacks), at least doubling. False when the heap has
// no room for it: the stack is not made.
bool registry_has_room() {
    kernel::mm::StackRegistry& registry = kernel::mm::kernel_stacks();
    const usize capacity = registry.capacity();
    if (registry.size() < capacity) return true;
    usize want = usize{kernel::smp::per_cpu_areas()} * (1 + IST_STACK_COUNT);
    if (want < 2 * capacity) want = 2 * capacity;
    const void* caller = __builtin_return_address(0);
    void* stacks = kernel::mm::heap_allocate(want * sizeof(kernel::mm::KernelStack),
                                             alignof(kernel::mm::KernelStack), caller);
    void* ranges = kernel::mm::heap_allocate(want * sizeof(kernel::debug::StackRange),
                                             alignof(kernel::debug::StackRange), caller);
    const bool grown = stacks != nullptr && ranges != nullptr &&
                       registry.grow(static_cast<kernel::mm::KernelStack*>(stacks),
                                     static_cast<kernel::debug::StackRange*>(ranges), want);
    if (!grown) {
        kernel::mm::heap_free(stacks, caller);
        kernel::mm::heap_free(ranges, caller);
    }
    return registry.size() < registry.capacity();
}

}  // namespace

Result<kernel::mm::KernelStack, VmError> allocate_kernel_stack(const char* name, u32 cpu,
                                                               u64 size) {
    if (size == 0 || size % kPageSize != 0) return VmError::Misaligned;
    if (!paging::initialized() || !kernel::mm::frame_allocator_ready()) return VmError::NotReady;
    if (!registry_has_room()) return VmError::OutOfMemory;
    const u64 guard = reserve(kernel::mm::kStackGuardSize + size);
    if (guard == 0) return VmError::OutOfMemory;
    const u64 base = guard + kernel::mm::kStackGuardSize;
    const paging::PageFlags access =
        paging::PageFlags::Writable |
        (paging::protections().pge ? paging::PageFlags::Global : paging::PageFlags::None);
    const u64 pages = size / kPageSize;
    for (u64 i = 0; i < pages; ++i) {
        const ktl::optional<PhysAddr> frame = kernel::mm::allocate_frames(0);
        if (!frame) {
            give_back(base, i);
            return VmError::OutOfMemory;
        }
        const paging::VmResult mapped = paging::kernel_map(VirtAddr{base + i * kPageSize}, *frame,
                                                           kPageSize, access, CacheType::WriteBack);
        if (!mapped) {
            kernel::mm::free_frames(*frame, 0);
            give_back(base, i);
            return mapped.error();
        }
    }
    const kernel::mm::KernelStack stack{name, base, base + size, guard, cpu};
    register_kernel_stack(stack);
    return stack;
}

}  // namespace arch
