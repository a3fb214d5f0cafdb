#include "kernel/mm/kernel_heap.hpp"

#include "arch/arch.hpp"
#include "kernel/mm/alloc_panic.hpp"
#include "kernel/mm/frame_allocator.hpp"
#include "kernel/mm/frame_pages.hpp"
#include "kernel/mm/heap_cache.hpp"
#include "kernel/panic/panic.hpp"
#include "kernel/smp/cpu.hpp"
#include "kernel/smp/per_cpu.hpp"
#include "kernel/sync/guard.hpp"
#include "lib/ktl/new.hpp"

namespace kernel::mm {

namespace {

// FramePages' view of the frame allocator: each call under its lock.
// FramePages calls its Frames through an instance (a BuddyAllocator in the
// host tests), so these stay members although this adapter has no state.
struct LockedFrameSource {
    // NOLINTNEXTLINE(readability-convert-member-functions-to-static): FramePages' Frames
    ktl::optional<PhysAddr> allocate(u32 order, Zone zone) { return allocate_frames(order, zone); }
    // NOLINTNEXTLINE(readability-convert-member-functions-to-static): FramePages' Frames
    void free(PhysAddr phys, u32 order) { free_frames(phys, order); }
};

// Each CPU's magazines, in its per-CPU area: the boot CPU's static (the
// heap serves it from the Heap phase on), the others' allocated with their
// area before they start.
KEEL_PER_CPU smp::PerCpu<HeapCpuCache> g_caches;

// The per-CPU caches' view of the CPU: its index through the GS base, and
// interrupts off as the magazines' only protection.
struct KernelCpu {
    using InterruptGuard = InterruptSaveGuard;
    static u32 cpu_index() { return smp::current_index(); }
    static u32 cpu_count() { return smp::per_cpu_areas(); }
    static HeapCpuCache& cache(u32 cpu) { return g_caches[cpu]; }
};

using KernelHeap = CachedHeap<KernelCpu, Spinlock, IrqSaveSpinlockGuard>;

// The heap's pages: buddy blocks through the direct map, and for a large
// block no buddy block can hold, frames mapped for it alone in the heap area
// (arch::map_heap_pages).
class KernelPages final : public PageProvider {
public:
    explicit KernelPages(PhysicalWindow window) : frames_(source_, window) {}

    void* allocate_pages(u32 order) override { return frames_.allocate_pages(order); }
    void free_pages(void* pages, u32 order) override { frames_.free_pages(pages, order); }
    void* map_pages(usize count) override {
        const Result<u8*, VmError> at = arch::map_heap_pages(count);
        return at ? *at : nullptr;
    }
    void unmap_pages(void* pages, usize count) override { arch::unmap_heap_pages(pages, count); }
    bool is_mapped(const void* at) override { return arch::heap_page_mapped(at); }
    [[nodiscard]] Area mapped_area() const override {
        const arch::HeapArea area = arch::heap_area();
        return {area.base, area.end};
    }

private:
    LockedFrameSource source_;
    FramePages<LockedFrameSource> frames_;
};

// Constructed in init_kernel_heap(): the direct map's offset is known only
// after paging. Storage for it, so no heap is needed to hold the heap.
alignas(KernelPages) u8 g_pages_storage[sizeof(KernelPages)];
KernelHeap g_heap;
bool g_ready = false;

}  // namespace

void init_kernel_heap() {
    if (g_ready) panic("heap: the kernel heap is built twice");
    if (!frame_allocator_ready()) panic("heap: the kernel heap needs the frame allocator");
    auto* pages = new (g_pages_storage) KernelPages(PhysicalWindow{arch::direct_map_offset()});
    g_heap.init(*pages, &panic_on_heap_error);
    g_ready = true;
}

bool kernel_heap_ready() { return g_ready; }

void* heap_allocate(usize size, usize align, const void* caller) {
    if (!g_ready) return nullptr;
    return g_heap.allocate(size, align, caller);
}

void heap_free(void* block, const void* caller) {
    if (block == nullptr) return;
    if (!g_ready)
        panic("heap: free of {:#x} before the heap exists", reinterpret_cast<uptr>(block));
    g_heap.free(block, caller);
}

HeapStats heap_stats() { return g_heap.stats(); }

u64 heap_cached_bytes() { return g_ready ? g_heap.cached_bytes() : 0; }

void heap_drain_this_cpu() {
    if (g_ready) g_heap.drain_this_cpu();
}

}  // namespace kernel::mm
