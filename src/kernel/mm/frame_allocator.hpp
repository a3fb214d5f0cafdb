// The kernel's frame allocator: the one BuddyAllocator over the free RAM of
// kernel::mm::physical_regions(), behind a spinlock taken with interrupts
// off (frames may be freed from interrupt handlers). Built by the
// FrameAllocator init phase, after paging: the allocator reaches frames
// through the direct map. Design: docs/memory-allocators.md.
#pragma once

#include "kernel/mm/buddy.hpp"
#include "kernel/mm/locked.hpp"
#include "kernel/sync/guard.hpp"
#include "kernel/sync/spinlock.hpp"
#include "lib/format/format.hpp"

namespace kernel::mm {

using LockedFrames = Locked<BuddyAllocator, Spinlock, IrqSaveSpinlockGuard>;

// Takes every free frame of `regions`; `window` is the direct map. Panics
// with the reason when the allocator cannot be built. Once.
void init_frame_allocator(const PhysicalRegions& regions, PhysicalWindow window);
[[nodiscard]] bool frame_allocator_ready();
[[nodiscard]] LockedFrames& frame_allocator();

// The same as allocate()/free() of BuddyAllocator, under the lock. Nothing
// before init_frame_allocator().
[[nodiscard]] ktl::optional<PhysAddr> allocate_frames(u32 order, Zone zone = Zone::Normal);
void free_frames(PhysAddr phys, u32 order);

// What the boot log says of it.
struct FrameSummary {
    u64 free_mib;      // every zone
    u64 low_kib;       // the low zone: below 1 MiB
    u64 below_4g_mib;  // the low and DMA32 zones: below 4 GiB
    u64 bookkeeping_kib;
};
[[nodiscard]] FrameSummary summarize(const BuddyAllocator& frames);

}  // namespace kernel::mm
