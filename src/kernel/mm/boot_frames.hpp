// Frames for the kernel's first page tables, before the buddy allocator
// exists: the buddy allocator's bookkeeping lives in RAM that only the
// direct map reaches, and the direct map is built from page tables, so the
// tables it needs come from here.
//
// It carves whole frames downward from the top of one free range below
// `limit` (the end of what the boot tables map 1:1, so each frame can be
// zeroed before the direct map exists), and never frees. Once the buddy
// allocator takes over, taken() is recorded as a PhysicalRegions
// reservation ("early page tables") so that the buddy never hands those
// frames out, and the carver is closed.
//
// Hardware-independent (tests/host/boot_frames_test.cpp): it only does
// arithmetic on addresses; its caller zeroes the frames.
#pragma once

#include "lib/address.hpp"
#include "lib/ktl/optional.hpp"
#include "lib/ktl/span.hpp"
#include "lib/ktl/types.hpp"
#include "lib/units.hpp"

namespace kernel::mm {

class BootFrames {
public:
    // Chooses the largest part of a free range in [`floor`, `limit`) to
    // carve from; the ranges are page-aligned (as PhysicalRegions gives
    // them). Returns false when no frame is free there.
    [[nodiscard]] bool init(ktl::span<const PhysRange> free, PhysAddr floor, PhysAddr limit);

    // The next frame, from the top down; nothing when the chosen range is
    // used up or after close().
    [[nodiscard]] ktl::optional<PhysAddr> allocate();

    // Every frame handed out so far: one range, page-aligned (empty at the
    // chosen range's top when none was).
    [[nodiscard]] PhysRange taken() const { return PhysRange{next_, top_}; }
    [[nodiscard]] u64 frames_taken() const { return (top_ - next_) / kFrameBytes; }
    // The frames still available.
    [[nodiscard]] u64 frames_left() const { return open_ ? (next_ - bottom_) / kFrameBytes : 0; }

    // No more frames from here on (the buddy allocator owns the rest).
    void close() { open_ = false; }
    [[nodiscard]] bool open() const { return open_; }

private:
    static constexpr u64 kFrameBytes = kPageSize;

    PhysAddr bottom_{};
    PhysAddr next_{};
    PhysAddr top_{};
    bool open_ = false;
};

}  // namespace kernel::mm
