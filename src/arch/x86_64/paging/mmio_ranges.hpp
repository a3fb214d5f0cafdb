// The MMIO area's virtual ranges: which parts of the area map_mmio() and
// map_readonly() may hand out next. Each allocation is its pages followed by
// one guard page that stays unmapped. A bump pointer hands out space never
// used; a range given back goes into a small sorted list of free ranges,
// merged with its neighbours, and a free range that reaches the bump pointer
// moves the pointer back instead. Allocation takes the lowest free range
// that fits, else bumps.
//
// The list is fixed (static storage: mappings are made before the heap
// exists). When a range given back can neither merge nor find a free slot,
// its address space is leaked and release() says so; an area is 512 GiB,
// so that costs address space only, never frames. The heap area
// (heap_area.cpp) uses it too, with a 16 KiB guard.
//
// Not locked: each user serialises its calls, the MMIO area under the
// kernel address-space lock (kernel_space.cpp), the heap area under its own. Hardware-independent:
// host-tested in tests/host/mmio_ranges_test.cpp.
#pragma once

#include "lib/ktl/optional.hpp"
#include "lib/ktl/types.hpp"
#include "lib/units.hpp"

namespace arch::paging {

enum class Release : u8 {
    Freed,    // the range can be handed out again
    Leaked,   // unusable from now on: the free list is full
    Invalid,  // not an allocation of this area (outside it, misaligned, or already free)
};

template <usize Capacity>
class MmioRanges {
public:
    struct Range {
        u64 base;
        u64 size;
        [[nodiscard]] constexpr u64 end() const { return base + size; }
    };

    constexpr MmioRanges(u64 base, u64 size, u64 guard)
        : base_(base), end_(base + size), guard_(guard), next_(base) {}

    // A range of `bytes` (whole pages, not 0) with a guard page after it;
    // nullopt when the area has no such range left.
    [[nodiscard]] ktl::optional<u64> allocate(u64 bytes) {
        if (bytes == 0 || bytes % kPageSize != 0 || bytes > end_ - base_) return ktl::nullopt;
        const u64 span = bytes + guard_;
        for (usize i = 0; i < count_; ++i) {
            if (free_[i].size < span) continue;
            const u64 at = free_[i].base;
            free_[i].base += span;
            free_[i].size -= span;
            if (free_[i].size == 0) erase(i);
            return at;
        }
        if (span > end_ - next_) return ktl::nullopt;
        const u64 at = next_;
        next_ += span;
        return at;
    }

    // Gives back what allocate(bytes) returned as `at` (with its guard page).
    [[nodiscard]] Release release(u64 at, u64 bytes) {
        if (bytes == 0 || at % kPageSize != 0 || bytes % kPageSize != 0) return Release::Invalid;
        if (at < base_ || at >= next_ || bytes > next_ - at || bytes + guard_ > next_ - at)
            return Release::Invalid;
        Range r{at, bytes + guard_};
        // First free range at or after r; r must not overlap it or the one before.
        usize i = 0;
        while (i < count_ && free_[i].base < r.base) ++i;
        if (i < count_ && free_[i].base < r.end()) return Release::Invalid;
        if (i > 0 && free_[i - 1].end() > r.base) return Release::Invalid;
        const bool joins_before = i > 0 && free_[i - 1].end() == r.base;
        const bool joins_after = i < count_ && free_[i].base == r.end();
        if (joins_before) {
            r = {free_[i - 1].base, free_[i - 1].size + r.size};
            erase(--i);
        }
        if (joins_after) {
            r.size += free_[i].size;
            erase(i);
        }
        if (r.end() == next_) {
            next_ = r.base;  // the last range before the pointer: nothing to keep
            return Release::Freed;
        }
        if (count_ == Capacity) return Release::Leaked;
        for (usize k = count_; k > i; --k) free_[k] = free_[k - 1];
        free_[i] = r;
        ++count_;
        return Release::Freed;
    }

    // Where the next bump allocation starts.
    [[nodiscard]] u64 next() const { return next_; }
    // Free ranges below the bump pointer, in address order.
    [[nodiscard]] usize free_ranges() const { return count_; }
    [[nodiscard]] Range free_range(usize i) const { return free_[i]; }

private:
    void erase(usize i) {
        for (usize k = i; k + 1 < count_; ++k) free_[k] = free_[k + 1];
        --count_;
    }

    u64 base_, end_, guard_;
    u64 next_;
    Range free_[Capacity]{};
    usize count_ = 0;
};

}  // namespace arch::paging
