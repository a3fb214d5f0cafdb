// A small sorted set of disjoint physical ranges, in static storage: what
// the direct map covers. Adding a range rounds it out to whole 4 KiB pages,
// clamps it to a limit and merges it with any range it overlaps or touches,
// so a contiguous request is mapped exactly when one range contains it.
//
// Hardware-independent: the host tests compile it as-is.
#pragma once

#include "lib/ktl/span.hpp"
#include "lib/ktl/types.hpp"

namespace arch {

struct PhysRange {
    u64 base;
    u64 end;  // exclusive

    [[nodiscard]] constexpr u64 size() const { return end - base; }
};

template <usize Capacity>
class PhysRangeSet {
public:
    enum class AddResult : u8 { Added, Empty, Full };

    // Adds [base, base + length) rounded out to 4 KiB pages and clamped to
    // [0, limit). Empty when nothing is left after clamping; Full when a
    // new disjoint range does not fit (the set is unchanged then).
    AddResult add(u64 base, u64 length, u64 limit) {
        constexpr u64 kPage = 4096;
        if (length == 0 || base >= limit) return AddResult::Empty;
        u64 end = (length > limit - base) ? limit : base + length;
        base &= ~(kPage - 1);
        end =
            (end > limit - (kPage - 1)) ? (limit & ~(kPage - 1)) : (end + kPage - 1) & ~(kPage - 1);
        if (base >= end) return AddResult::Empty;

        // First range that ends at or after `base` (touching counts).
        usize first = 0;
        while (first < count_ && ranges_[first].end < base) ++first;
        // Ranges [first, last) overlap or touch the new one.
        usize last = first;
        while (last < count_ && ranges_[last].base <= end) ++last;
        if (first == last) {
            if (count_ == Capacity) return AddResult::Full;
            for (usize i = count_; i > first; --i) ranges_[i] = ranges_[i - 1];
            ranges_[first] = {base, end};
            ++count_;
            return AddResult::Added;
        }
        PhysRange merged{base < ranges_[first].base ? base : ranges_[first].base,
                         end > ranges_[last - 1].end ? end : ranges_[last - 1].end};
        ranges_[first] = merged;
        usize removed = last - first - 1;
        for (usize i = first + 1; i + removed < count_; ++i) ranges_[i] = ranges_[i + removed];
        count_ -= removed;
        return AddResult::Added;
    }

    // Whether one range holds all of [base, base + size).
    [[nodiscard]] bool contains(u64 base, u64 size) const {
        u64 end = 0;
        if (__builtin_add_overflow(base, size, &end)) return false;
        for (usize i = 0; i < count_; ++i)
            if (ranges_[i].base <= base && end <= ranges_[i].end) return true;
        return false;
    }
    [[nodiscard]] u64 total_bytes() const {
        u64 total = 0;
        for (usize i = 0; i < count_; ++i) total += ranges_[i].size();
        return total;
    }
    [[nodiscard]] ktl::span<const PhysRange> view() const { return {ranges_, count_}; }
    [[nodiscard]] usize size() const { return count_; }
    [[nodiscard]] bool empty() const { return count_ == 0; }

private:
    PhysRange ranges_[Capacity]{};
    usize count_ = 0;
};

}  // namespace arch
