// The MMIO area's virtual ranges (arch/x86_64/paging/mmio_ranges.hpp): what
// map_mmio() hands out, and what unmap_mmio() gives back and gets reused.
#include <gtest/gtest.h>

#include <vector>

#include "arch/x86_64/paging/mmio_ranges.hpp"

namespace arch::paging {
namespace {

constexpr u64 kBase = 0xFFFF'C000'0000'0000ULL;
constexpr u64 kPage = kPageSize;

using Ranges = MmioRanges<4>;

std::vector<std::pair<u64, u64>> free_list(const Ranges& r) {
    std::vector<std::pair<u64, u64>> out;
    for (usize i = 0; i < r.free_ranges(); ++i)
        out.emplace_back(r.free_range(i).base - kBase, r.free_range(i).size / kPage);
    return out;
}

TEST(MmioRanges, EachRangeIsFollowedByAGuardPage) {
    Ranges r{kBase, 64 * kPage, kPage};
    EXPECT_EQ(*r.allocate(kPage), kBase);
    EXPECT_EQ(*r.allocate(3 * kPage), kBase + 2 * kPage);
    EXPECT_EQ(*r.allocate(kPage), kBase + 6 * kPage);
    EXPECT_EQ(r.next(), kBase + 8 * kPage);
}

TEST(MmioRanges, BadSizesAndAFullAreaAreRefused) {
    Ranges r{kBase, 8 * kPage, kPage};
    EXPECT_FALSE(r.allocate(0).has_value());
    EXPECT_FALSE(r.allocate(100).has_value());
    EXPECT_FALSE(r.allocate(8 * kPage).has_value());  // no room for its guard
    EXPECT_EQ(*r.allocate(7 * kPage), kBase);
    EXPECT_FALSE(r.allocate(kPage).has_value());
    EXPECT_EQ(r.release(kBase, 7 * kPage), Release::Freed);
    EXPECT_EQ(*r.allocate(3 * kPage), kBase);
}

TEST(MmioRanges, TheLastRangeGivenBackMovesThePointerBack) {
    Ranges r{kBase, 64 * kPage, kPage};
    const u64 a = *r.allocate(kPage);
    const u64 b = *r.allocate(2 * kPage);
    EXPECT_EQ(r.release(b, 2 * kPage), Release::Freed);
    EXPECT_EQ(r.next(), b);
    EXPECT_EQ(r.free_ranges(), 0U);
    // A probe mapped and unmapped over and over stays at one address.
    for (int i = 0; i < 1000; ++i) {
        const u64 p = *r.allocate(kPage);
        EXPECT_EQ(p, b);
        EXPECT_EQ(r.release(p, kPage), Release::Freed);
    }
    EXPECT_EQ(r.release(a, kPage), Release::Freed);
    EXPECT_EQ(r.next(), kBase);
}

TEST(MmioRanges, AHoleIsReusedByTheLowestFitAndNeighboursMerge) {
    Ranges r{kBase, 64 * kPage, kPage};
    const u64 a = *r.allocate(kPage);      // pages 0-1
    const u64 b = *r.allocate(2 * kPage);  // 2-4
    const u64 c = *r.allocate(kPage);      // 5-6
    const u64 d = *r.allocate(kPage);      // 7-8
    EXPECT_EQ(r.release(b, 2 * kPage), Release::Freed);
    EXPECT_EQ(free_list(r), (std::vector<std::pair<u64, u64>>{{2 * kPage, 3}}));
    // Too big for the hole: bumped.
    EXPECT_EQ(*r.allocate(3 * kPage), kBase + 9 * kPage);
    // Fits: carved from the hole's start, the rest stays free.
    EXPECT_EQ(*r.allocate(kPage), b);
    EXPECT_EQ(free_list(r), (std::vector<std::pair<u64, u64>>{{4 * kPage, 1}}));
    // c merges with the page left before it; a then joins both.
    EXPECT_EQ(r.release(c, kPage), Release::Freed);
    EXPECT_EQ(free_list(r), (std::vector<std::pair<u64, u64>>{{4 * kPage, 3}}));
    EXPECT_EQ(r.release(b, kPage), Release::Freed);
    EXPECT_EQ(r.release(a, kPage), Release::Freed);
    EXPECT_EQ(free_list(r), (std::vector<std::pair<u64, u64>>{{0, 7}}));
    // d joins the free run before it; the 3-page range after it, still
    // handed out, holds the pointer up until it comes back too.
    EXPECT_EQ(r.release(d, kPage), Release::Freed);
    EXPECT_EQ(free_list(r), (std::vector<std::pair<u64, u64>>{{0, 9}}));
    EXPECT_EQ(r.release(kBase + 9 * kPage, 3 * kPage), Release::Freed);
    EXPECT_EQ(r.next(), kBase);
    EXPECT_EQ(r.free_ranges(), 0U);
}

TEST(MmioRanges, WhatWasNotHandedOutIsRefused) {
    Ranges r{kBase, 64 * kPage, kPage};
    const u64 a = *r.allocate(kPage);
    const u64 b = *r.allocate(kPage);
    (void)*r.allocate(kPage);
    EXPECT_EQ(r.release(kBase - kPage, kPage), Release::Invalid);  // below the area
    EXPECT_EQ(r.release(r.next(), kPage), Release::Invalid);       // never handed out
    EXPECT_EQ(r.release(a + 1, kPage), Release::Invalid);          // misaligned
    EXPECT_EQ(r.release(a, 0), Release::Invalid);
    EXPECT_EQ(r.release(r.next() - kPage, 2 * kPage), Release::Invalid);  // past the pointer
    EXPECT_EQ(r.release(a, ~u64{0} - kPage + 1), Release::Invalid);       // wraps with the guard
    EXPECT_EQ(r.release(b, kPage), Release::Freed);
    EXPECT_EQ(r.release(b, kPage), Release::Invalid);      // twice
    EXPECT_EQ(r.release(a, 2 * kPage), Release::Invalid);  // overlaps the free one
    EXPECT_EQ(free_list(r), (std::vector<std::pair<u64, u64>>{{2 * kPage, 2}}));
}

TEST(MmioRanges, AFullListLeaksTheRangeAndSaysSo) {
    Ranges r{kBase, 64 * kPage, kPage};
    std::vector<u64> at;
    for (int i = 0; i < 10; ++i) at.push_back(*r.allocate(kPage));
    // Every other one: five disjoint holes for a list of four.
    for (int i = 0; i < 8; i += 2) EXPECT_EQ(r.release(at[i], kPage), Release::Freed);
    EXPECT_EQ(r.release(at[8], kPage), Release::Leaked);
    EXPECT_EQ(r.free_ranges(), 4U);
    // A neighbour of a listed hole still merges: no slot needed.
    EXPECT_EQ(r.release(at[1], kPage), Release::Freed);
    EXPECT_EQ(r.free_ranges(), 3U);
    // The leaked range is never handed out: the next 1-page range comes
    // from the lowest hole, and the leaked one is not among the holes.
    for (usize i = 0; i < r.free_ranges(); ++i) EXPECT_NE(r.free_range(i).base, at[8]);
    EXPECT_EQ(*r.allocate(kPage), at[0]);
}

}  // namespace
}  // namespace arch::paging
