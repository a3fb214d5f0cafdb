// operator new and delete on the kernel heap (declared in lib/ktl/new.hpp).
// Every form names its own caller (the return address of the operator) in
// the reports: the line that said `new`, not the heap's internals.
#include "lib/ktl/new.hpp"

#include "kernel/debug/debug.hpp"
#include "kernel/mm/frame_allocator.hpp"
#include "kernel/mm/kernel_heap.hpp"
#include "kernel/panic/panic.hpp"

const std::nothrow_t std::nothrow{};

namespace {

using kernel::mm::heap_allocate;
using kernel::mm::heap_free;

constexpr usize kDefaultAlign = 16;  // what the ABI promises malloc-like memory has

[[noreturn]] [[gnu::noinline]] void out_of_memory(usize size, usize align, const void* caller) {
    kernel::debug::SymbolText name;
    kernel::debug::symbolize(reinterpret_cast<uptr>(caller), name, true);
    if (!kernel::mm::kernel_heap_ready())
        kernel::panic("out of memory: {} bytes for {} (operator new before the heap exists)", size,
                      name.view());
    if (align > kernel::mm::kHeapMaxAlign)
        kernel::panic("out of memory: {} bytes for {} (alignment {} above the heap's {})", size,
                      name.view(), align, kernel::mm::kHeapMaxAlign);
    // What is left, so the report tells a leak (the heap holds most of
    // RAM) from fragmentation (frames free, but no block large enough).
    namespace mm = kernel::mm;
    const mm::HeapStats heap = mm::heap_stats();
    struct Left {
        u64 low, dma32, normal;
        u32 largest_order;  // kOrderCount: no free block at all
    };
    const Left left = mm::frame_allocator().with([](mm::BuddyAllocator& frames) {
        Left l{frames.free_frames(mm::Zone::Low), frames.free_frames(mm::Zone::Dma32),
               frames.free_frames(mm::Zone::Normal), mm::kOrderCount};
        for (u32 order = mm::kMaxOrder + 1; order-- > 0 && l.largest_order == mm::kOrderCount;)
            if (frames.free_blocks(mm::Zone::Dma32, order) +
                    frames.free_blocks(mm::Zone::Normal, order) !=
                0)
                l.largest_order = order;
        return l;
    });
    // Blocks cached by other CPUs are free for them only; this CPU's went
    // back to the heap before the last try (must()).
    const u64 cached = mm::heap_cached_bytes();
    kfmt::Buffer<48> cached_text;
    if (cached != 0) kfmt::format_to(cached_text, ", {} KiB cached by other CPUs", cached / 1024);
    kfmt::Buffer<24> largest;
    if (left.largest_order == mm::kOrderCount)
        kfmt::format_to(largest, "none");
    else
        kfmt::format_to(largest, "{} KiB", (mm::kFrameSize << left.largest_order) / 1024);
    kernel::panic(
        "out of memory: {} bytes for {} (heap: {} KiB in use, {} KiB held{}; frames free: {} KiB "
        "low, {} KiB DMA32, {} KiB normal; largest free block above 1 MiB: {})",
        size, name.view(), heap.bytes_in_use / 1024, heap.pages_held * 4, cached_text.view(),
        left.low * 4, left.dma32 * 4, left.normal * 4, largest.view());
}

inline usize align_of(std::align_val_t align) {
    const auto value = static_cast<usize>(align);
    return value < kDefaultAlign ? kDefaultAlign : value;
}

// Before giving up: this CPU's cached free blocks go back to the heap,
// which hands their empty slabs back to the frame allocator, and the
// request is tried once more.
[[gnu::noinline]] [[gnu::cold]] void* after_drain(usize size, usize align, const void* caller) {
    kernel::mm::heap_drain_this_cpu();
    void* block = heap_allocate(size, align, caller);
    if (block == nullptr) out_of_memory(size, align, caller);
    return block;
}

inline void* must(usize size, usize align, const void* caller) {
    void* block = heap_allocate(size, align, caller);
    if (block == nullptr) return after_drain(size, align, caller);
    return block;
}

}  // namespace

#define KEEL_CALLER __builtin_return_address(0)

void* operator new(usize size) { return must(size, kDefaultAlign, KEEL_CALLER); }
void* operator new[](usize size) { return must(size, kDefaultAlign, KEEL_CALLER); }
void* operator new(usize size, std::align_val_t align) {
    return must(size, align_of(align), KEEL_CALLER);
}
void* operator new[](usize size, std::align_val_t align) {
    return must(size, align_of(align), KEEL_CALLER);
}
void* operator new(usize size, const std::nothrow_t& /*unused*/) noexcept {
    return heap_allocate(size, kDefaultAlign, KEEL_CALLER);
}
void* operator new[](usize size, const std::nothrow_t& /*unused*/) noexcept {
    return heap_allocate(size, kDefaultAlign, KEEL_CALLER);
}
void* operator new(usize size, std::align_val_t align, const std::nothrow_t& /*unused*/) noexcept {
    return heap_allocate(size, align_of(align), KEEL_CALLER);
}
void* operator new[](usize size, std::align_val_t align,
                     const std::nothrow_t& /*unused*/) noexcept {
    return heap_allocate(size, align_of(align), KEEL_CALLER);
}

// The heap finds a block's size and alignment from the block itself: the
// sized and aligned forms free the same way.
void operator delete(void* block) noexcept { heap_free(block, KEEL_CALLER); }
void operator delete[](void* block) noexcept { heap_free(block, KEEL_CALLER); }
void operator delete(void* block, usize /*unused*/) noexcept { heap_free(block, KEEL_CALLER); }
void operator delete[](void* block, usize /*unused*/) noexcept { heap_free(block, KEEL_CALLER); }
void operator delete(void* block, std::align_val_t /*unused*/) noexcept {
    heap_free(block, KEEL_CALLER);
}
void operator delete[](void* block, std::align_val_t /*unused*/) noexcept {
    heap_free(block, KEEL_CALLER);
}
void operator delete(void* block, usize /*unused*/, std::align_val_t /*unused*/) noexcept {
    heap_free(block, KEEL_CALLER);
}
void operator delete[](void* block, usize /*unused*/, std::align_val_t /*unused*/) noexcept {
    heap_free(block, KEEL_CALLER);
}
void operator delete(void* block, const std::nothrow_t& /*unused*/) noexcept {
    heap_free(block, KEEL_CALLER);
}
void operator delete[](void* block, const std::nothrow_t& /*unused*/) noexcept {
    heap_free(block, KEEL_CALLER);
}
void operator delete(void* block, std::align_val_t /*unused*/,
                     const std::nothrow_t& /*unused*/) noexcept {
    heap_free(block, KEEL_CALLER);
}
void operator delete[](void* block, std::align_val_t /*unused*/,
                       const std::nothrow_t& /*unused*/) noexcept {
    heap_free(block, KEEL_CALLER);
}
