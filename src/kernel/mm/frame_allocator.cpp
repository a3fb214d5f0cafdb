#include "kernel/mm/frame_allocator.hpp"

#include "kernel/mm/alloc_panic.hpp"
#include "kernel/panic/panic.hpp"

namespace kernel::mm {

namespace {

LockedFrames g_frames;
bool g_ready = false;

}  // namespace

FrameSummary summarize(const BuddyAllocator& frames) {
    const u64 low = frames.free_frames(Zone::Low) * kFrameSize;
    const u64 dma32 = frames.free_frames(Zone::Dma32) * kFrameSize;
    return {frames.free_frames() * kFrameSize / kMiB, low / kKiB, (low + dma32) / kMiB,
            frames.bookkeeping().size() / kKiB};
}

void init_frame_allocator(const PhysicalRegions& regions, PhysicalWindow window) {
    if (g_ready) panic("frames: the frame allocator is built twice");
    BuddyConfig config{window, &panic_on_frame_error};
    // Nothing else runs yet: the lock is not needed, and init() must not
    // run with interrupts off for the seconds a large machine may take.
    const BuddyInitResult result = g_frames.unlocked().init(regions.free_ranges(), config);
    if (!result.ok())
        panic("frames: cannot build the frame allocator over {} MiB in {} ranges: {}",
              regions.free_bytes() / kMiB, regions.size(), describe(result.error()));
    g_ready = true;
}

bool frame_allocator_ready() { return g_ready; }
LockedFrames& frame_allocator() { return g_frames; }

ktl::optional<PhysAddr> allocate_frames(u32 order, Zone zone) {
    if (!g_ready) return {};
    return g_frames.with([&](BuddyAllocator& b) { return b.allocate(order, zone); });
}

void free_frames(PhysAddr phys, u32 order) {
    if (!g_ready) panic("frames: free of frame {} before the frame allocator exists", phys);
    g_frames.with([&](BuddyAllocator& b) { b.free(phys, order); });
}

}  // namespace kernel::mm
