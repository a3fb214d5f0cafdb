#include "kernel/mm/boot_frames.hpp"

namespace kernel::mm {

bool BootFrames::init(ktl::span<const PhysRange> free, PhysAddr floor, PhysAddr limit) {
    const PhysRange window{floor, limit};
    PhysRange best{};
    for (const PhysRange& r : free) {
        // Inward to whole frames: a range clipped at an unaligned floor or
        // limit must not hand out a frame that starts outside it.
        const PhysRange part = r.intersect(window).align_inward(kFrameBytes);
        if (part.size() > best.size()) best = part;
    }
    bottom_ = best.base();
    next_ = best.end();
    top_ = best.end();
    open_ = !best.empty();
    return open_;
}

ktl::optional<PhysAddr> BootFrames::allocate() {
    if (!open_ || next_ - bottom_ < kFrameBytes) return {};
    next_ = next_ - kFrameBytes;
    return next_;
}

}  // namespace kernel::mm
