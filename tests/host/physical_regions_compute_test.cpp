// PhysicalRegions::compute() and its queries on hand-made maps, one rule each:
// free memory is the available regions' whole pages, less those others touch.
#include "kernel/mm/physical_regions.hpp"

#include <gtest/gtest.h>

#include "physical_regions_fixture.hpp"

namespace kernel::mm {
namespace {

using regions_test::k4K;
using regions_test::kAcpiReclaimable;
using regions_test::kAvailable;
using regions_test::keep;
using regions_test::kReserved;
using regions_test::kTop;
using regions_test::Map;
using regions_test::PhysicalRegionsTest;
using regions_test::range;
using regions_test::Ranges;
using regions_test::sized;

TEST_F(PhysicalRegionsTest, NothingIsFreeWithoutAMap) {
    EXPECT_TRUE(compute({}).empty());
    EXPECT_EQ(regions.free_bytes(), 0u);
    EXPECT_FALSE(regions.is_free(sized(0, k4K)));
    EXPECT_FALSE(regions.any_free(sized(0, kTop)));
    EXPECT_TRUE(regions.complete());
}

TEST_F(PhysicalRegionsTest, OnlyAvailableRegionsAreFree) {
    Map map{{0x0, 0x10000, kReserved},
            {0x10000, 0x10000, kAvailable},
            {0x20000, 0x10000, kAcpiReclaimable},
            {0x30000, 0x10000, boot::MemoryKind::AcpiNvs},
            {0x40000, 0x10000, boot::MemoryKind::Bad},
            {0x50000, 0x10000, kReserved}};
    EXPECT_EQ(compute(map), (Ranges{{0x10000, 0x20000}}));
    EXPECT_EQ(regions.free_bytes(), 0x10000u);
}

TEST_F(PhysicalRegionsTest, UnalignedEdgesAreRoundedInward) {
    EXPECT_EQ(compute({{0x1001, 0x3000, kAvailable}}), (Ranges{{0x2000, 0x4000}}));
    EXPECT_EQ(compute({{0x1000, 0x2fff, kAvailable}}), (Ranges{{0x1000, 0x3000}}));
    // Less than a whole page: nothing.
    EXPECT_TRUE(compute({{0x1800, 0x1000, kAvailable}}).empty());
    EXPECT_TRUE(compute({{0x0, 0xfff, kAvailable}}).empty());
}

TEST_F(PhysicalRegionsTest, OverlappingDuplicateAndUnsortedEntriesMerge) {
    Map map{{0x50000, 0x10000, kAvailable},
            {0x10000, 0x20000, kAvailable},
            {0x18000, 0x30000, kAvailable},  // overlaps the previous one
            {0x10000, 0x20000, kAvailable},  // duplicate
            {0x90000, 0x1000, kAvailable}};
    EXPECT_EQ(compute(map), (Ranges{{0x10000, 0x48000}, {0x50000, 0x60000}, {0x90000, 0x91000}}));
    EXPECT_EQ(regions.free_bytes(), 0x38000u + 0x10000u + 0x1000u);
}

TEST_F(PhysicalRegionsTest, AdjacentRegionsMergeEvenMidPage) {
    // Each half alone holds no whole page at 0x1000; together they do.
    Map map{{0x1800, 0x1800, kAvailable}, {0x1000, 0x800, kAvailable}};
    EXPECT_EQ(compute(map), (Ranges{{0x1000, 0x3000}}));
    // Touching page-aligned regions become one range.
    EXPECT_EQ(compute({{0x0, 0x4000, kAvailable}, {0x4000, 0x4000, kAvailable}}),
              (Ranges{{0x0, 0x8000}}));
}

TEST_F(PhysicalRegionsTest, ReservedTypesWinOverlaps) {
    // Listed before and after the available region: the order must not matter.
    Map before{{0x4800, 0x1000, kReserved}, {0x0, 0x10000, kAvailable}};
    Map after{{0x0, 0x10000, kAvailable}, {0x4800, 0x1000, kReserved}};
    // The reserved bytes touch pages 0x4000 and 0x5000: both are not free.
    Ranges expected{{0x0, 0x4000}, {0x6000, 0x10000}};
    EXPECT_EQ(compute(before), expected);
    EXPECT_EQ(compute(after), expected);
    // The same range listed as both types is not free.
    EXPECT_TRUE(compute({{0x0, 0x10000, kAvailable}, {0x0, 0x10000, kAcpiReclaimable}}).empty());
    // A reserved region covering the end and one covering the start.
    EXPECT_EQ(compute({{0x10000, 0x10000, kAvailable},
                       {0x1c000, 0x10000, kReserved},
                       {0x8000, 0x9000, kReserved}}),
              (Ranges{{0x11000, 0x1c000}}));
}

TEST_F(PhysicalRegionsTest, HugeAddressesDoNotWrap) {
    // A region running past 2^64 is clamped; the last page (which holds
    // byte 2^64 - 1) is never free.
    Map map{{kTop - 0x4fff, kTop, kAvailable}, {0x0, 0x2000, kAvailable}};
    EXPECT_EQ(compute(map), (Ranges{{0x0, 0x2000}, {kTop - 0x4fff, kTop - 0xfff}}));
    EXPECT_EQ(regions.free_bytes(), 0x2000u + 0x4000u);
    EXPECT_TRUE(regions.is_free(sized(kTop - 0x4fff, 0x4000)));
    EXPECT_FALSE(regions.is_free(sized(kTop - 0x4fff, 0x5000)));
    EXPECT_FALSE(regions.is_free(sized(kTop - 0x1fff, kTop)));  // clamped, into the last page
    EXPECT_TRUE(regions.any_free(sized(kTop - 0x1fff, kTop)));  // clamped, overlaps
    EXPECT_FALSE(regions.any_free(sized(kTop - 0xfff, kTop)));  // the last page
    // A reservation that wraps is clamped too, and takes everything above it.
    keep(regions, ReservationKind::Module, kTop - 0x2fff, kTop);
    EXPECT_EQ(compute(map), (Ranges{{0x0, 0x2000}, {kTop - 0x4fff, kTop - 0x2fff}}));
    // Starting in the last, partial page: nothing rounds up past 2^64.
    EXPECT_TRUE(compute({{kTop - 0x10, 0x10, kAvailable}}).empty());
    EXPECT_TRUE(compute({{kTop, 1, kAvailable}}).empty());
    EXPECT_EQ(regions.reserve(ReservationKind::Module, kTop, 1),
              PhysicalRegions::ReserveError::Empty);  // 2^64 - 1 is never free anyway
}

TEST_F(PhysicalRegionsTest, IsFreeNeedsOneRangeToHoldItAll) {
    compute({{0x0, 0x3000, kAvailable}, {0x4000, 0x3000, kAvailable}});
    EXPECT_TRUE(regions.is_free(sized(0x0, 0x3000)));
    EXPECT_TRUE(regions.is_free(sized(0x2fff, 1)));
    EXPECT_FALSE(regions.is_free(sized(0x2fff, 2)));  // runs into the hole
    EXPECT_FALSE(regions.is_free(sized(0x3000, 1)));
    EXPECT_FALSE(regions.is_free(sized(0x0, 0x7000)));  // spans the hole
    EXPECT_TRUE(regions.is_free(sized(0x4000, 0x3000)));
    EXPECT_FALSE(regions.is_free(sized(0x6fff, 2)));
    EXPECT_FALSE(regions.is_free(sized(0x7000, 1)));
    EXPECT_TRUE(regions.any_free(sized(0x2fff, 2)));
    EXPECT_FALSE(regions.any_free(sized(0x3000, 0x1000)));
    EXPECT_TRUE(regions.any_free(sized(0x3000, 0x1001)));
    EXPECT_TRUE(regions.any_free(sized(0x0, kTop)));
    EXPECT_FALSE(regions.any_free(sized(0x7000, kTop)));
}

TEST_F(PhysicalRegionsTest, ComputeStartsOverEachTime) {
    keep(regions, ReservationKind::Module, 0x1000, 0x1000);
    Map map{{0x0, 0x4000, kAvailable}};
    Ranges first = compute(map);
    EXPECT_EQ(compute(map), first);
    EXPECT_EQ(first, (Ranges{{0x0, 0x1000}, {0x2000, 0x4000}}));
    regions.clear();
    EXPECT_TRUE(regions.reservations().empty());
    EXPECT_EQ(compute(map), (Ranges{{0x0, 0x4000}}));
}

TEST(PhysicalRegionsMinimum, FourMiBIsEnough) {
    EXPECT_EQ(kMinimumFreeMemory, 4u << 20);
    EXPECT_TRUE(enough_memory(4u << 20));
    EXPECT_FALSE(enough_memory((4u << 20) - k4K));
    EXPECT_FALSE(enough_memory(0));
    EXPECT_TRUE(enough_memory(kTop));
    EXPECT_TRUE(enough_memory(1u << 20, 1u << 20));
}

}  // namespace
}  // namespace kernel::mm
