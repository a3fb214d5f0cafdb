// The heap's pages in the kernel: blocks of the buddy allocator, reached
// through the direct map (or any PhysicalWindow: host tests use an arena).
#pragma once

#include "kernel/mm/buddy.hpp"
#include "kernel/mm/heap.hpp"

namespace kernel::mm {

// `Frames` is a BuddyAllocator or anything with its allocate()/free(),
// such as an adapter that takes the frame allocator's lock.
template <typename Frames = BuddyAllocator>
class FramePages final : public PageProvider {
public:
    FramePages(Frames& frames, PhysicalWindow window, Zone zone = Zone::Normal)
        : frames_(frames), window_(window), zone_(zone) {}

    void* allocate_pages(u32 order) override {
        ktl::optional<PhysAddr> phys = frames_.allocate(order, zone_);
        return phys ? window_.at(*phys) : nullptr;
    }
    void free_pages(void* pages, u32 order) override {
        frames_.free(window_.phys_of(pages), order);
    }

private:
    Frames& frames_;
    PhysicalWindow window_;
    Zone zone_;
};

}  // namespace kernel::mm
