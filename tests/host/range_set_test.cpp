// arch::paging::PhysRangeSet (src/arch/x86_64/paging/range_set.hpp): the
// direct map's set of physical ranges, rounded to pages, merged, clamped to
// the physical limit, and bounded in count.
#include "arch/x86_64/paging/range_set.hpp"

#include <gtest/gtest.h>

namespace arch::paging {
namespace {

enum class AddOutcome { Added, Empty, Full };

template <usize N>
AddOutcome add(PhysRangeSet<N>& set, u64 base, u64 length, u64 limit) {
    auto added = set.add(PhysRange::from_size(base, length), PhysAddr{limit});
    if (added) return AddOutcome::Added;
    return added.error() == PhysRangeSet<N>::AddError::Empty ? AddOutcome::Empty : AddOutcome::Full;
}

TEST(PageTableRangeSet, RoundsMergesAndClamps) {
    PhysRangeSet<4> set;
    using R = AddOutcome;
    EXPECT_EQ(add(set, 0x9FC00, 0x400, 1ULL << 46), R::Added);  // rounded out to 0x9F000..0xA0000
    EXPECT_EQ(add(set, 0, 0x9FC00, 1ULL << 46), R::Added);      // merges: 0..0xA0000
    EXPECT_EQ(add(set, 0x100000, 0x1000, 1ULL << 46), R::Added);
    EXPECT_EQ(add(set, 0x200000, 0x1000, 1ULL << 46), R::Added);
    ASSERT_EQ(set.size(), 3u);
    EXPECT_EQ(set.view()[0].base().value(), 0u);
    EXPECT_EQ(set.view()[0].end().value(), 0xA0000u);
    // One range bridging the two later ones.
    EXPECT_EQ(add(set, 0x101000, 0xFF000, 1ULL << 46), R::Added);
    ASSERT_EQ(set.size(), 2u);
    EXPECT_EQ(set.view()[1].base().value(), 0x100000u);
    EXPECT_EQ(set.view()[1].end().value(), 0x201000u);
    EXPECT_TRUE(set.contains(PhysRange::from_size(0x100000, 0x101000)));
    EXPECT_FALSE(set.contains(PhysRange::from_size(0x9F000, 0x2000)));  // spans the hole
    EXPECT_FALSE(set.contains(PhysRange::from_size(~0ULL - 1, 10)));
    EXPECT_EQ(set.total_bytes(), 0xA0000u + 0x101000u);

    EXPECT_EQ(add(set, 0x5000, 0, 1ULL << 46), R::Empty);
    EXPECT_EQ(add(set, 1ULL << 46, 0x1000, 1ULL << 46), R::Empty);
    EXPECT_EQ(add(set, (1ULL << 46) - 0x800, ~0ULL - (1ULL << 46), 1ULL << 46), R::Added);
    EXPECT_EQ(set.view()[2].end().value(), 1ULL << 46);  // clamped
    EXPECT_EQ(add(set, 0x10'0000'0000ULL, 1, 1ULL << 46), R::Added);
    EXPECT_EQ(add(set, 0x20'0000'0000ULL, 1, 1ULL << 46), R::Full);
    EXPECT_EQ(set.size(), 4u);
    for (usize i = 1; i < set.size(); ++i)
        EXPECT_LT(set.view()[i - 1].end().value(), set.view()[i].base().value());
}

}  // namespace
}  // namespace arch::paging
