// A small sorted set of disjoint physical ranges, in static storage: what
// the direct map covers. Adding a range rounds it out to whole 4 KiB pages,
// clamps it to a limit and merges it with any range it overlaps or touches,
// so a contiguous request is mapped exactly when one range contains it.
//
// Hardware-independent: the host tests compile it as-is.
#pragma once

#include "lib/address.hpp"
#include "lib/ktl/span.hpp"
#include "lib/ktl/types.hpp"
#include "lib/result.hpp"
#include "lib/units.hpp"

namespace arch {

template <usize Capacity>
class PhysRangeSet {
public:
    enum class AddError : u8 {
        Empty,  // nothing left after clamping: not an error for most callers
        Full,   // a new disjoint range does not fit (the set is unchanged)
    };

    // Adds `range` rounded out to 4 KiB pages and clamped to [0, limit),
    // limit itself rounded down to a page.
    [[nodiscard]] Result<void, AddError> add(PhysRange range, PhysAddr limit) {
        const PhysRange below{PhysAddr{0}, limit.align_down(kPageSize)};
        const PhysRange r = range.intersect(below).align_outward(kPageSize).intersect(below);
        if (r.empty()) return AddError::Empty;

        // First range that ends at or after r's base (touching counts).
        usize first = 0;
        while (first < count_ && ranges_[first].end() < r.base()) ++first;
        // Ranges [first, last) overlap or touch the new one.
        usize last = first;
        while (last < count_ && ranges_[last].base() <= r.end()) ++last;
        if (first == last) {
            if (count_ == Capacity) return AddError::Full;
            for (usize i = count_; i > first; --i) ranges_[i] = ranges_[i - 1];
            ranges_[first] = r;
            ++count_;
            return {};
        }
        ranges_[first] = r.unite(ranges_[first]).unite(ranges_[last - 1]);
        usize removed = last - first - 1;
        for (usize i = first + 1; i + removed < count_; ++i) ranges_[i] = ranges_[i + removed];
        count_ -= removed;
        return {};
    }

    // Whether one range holds all of `r` (false when r is empty).
    [[nodiscard]] bool contains(PhysRange r) const {
        for (usize i = 0; i < count_; ++i)
            if (ranges_[i].contains(r)) return true;
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
