// PhysicalRegions' reservations (the kernel, modules, the MBI...) carved out of
// the free ranges, and what a full reservation or free-range list gives up.
#include "kernel/mm/physical_regions.hpp"

#include <gtest/gtest.h>

#include <utility>

#include "physical_regions_fixture.hpp"

namespace kernel::mm {
namespace {

using regions_test::k4K;
using regions_test::kAvailable;
using regions_test::keep;
using regions_test::kRecorded;
using regions_test::kReserved;
using regions_test::kTop;
using regions_test::Map;
using regions_test::PhysicalRegionsTest;
using regions_test::range;
using regions_test::Ranges;
using regions_test::sized;

TEST_F(PhysicalRegionsTest, ReservationsSplitAndTrimRegions) {
    Map map{{0x0, 0x100000, kAvailable}, {0x200000, 0x100000, kAvailable}};
    EXPECT_EQ(regions.reserve(ReservationKind::KernelImage, 0x40000, 0x20000), kRecorded);
    keep(regions, ReservationKind::Module, 0x2f0000, 0x20000);           // over the end
    keep(regions, ReservationKind::BootInformation, 0x1f0000, 0x11000);  // over the start
    EXPECT_EQ(compute(map), (Ranges{{0x0, 0x40000}, {0x60000, 0x100000}, {0x201000, 0x2f0000}}));
    EXPECT_EQ(regions.reservations().size(), 3u);
    EXPECT_EQ(regions.reservations()[1].kind, ReservationKind::Module);
    EXPECT_EQ(regions.reservations()[1].range.base().value(), 0x2f0000u);
    EXPECT_EQ(regions.reservations()[1].range.end().value(), 0x310000u);
}

TEST_F(PhysicalRegionsTest, UnalignedReservationsTakeWholePages) {
    keep(regions, ReservationKind::BootInformation, 0x100430, 1256);  // as GRUB places it
    EXPECT_EQ(compute({{0x100000, 0x10000, kAvailable}}), (Ranges{{0x101000, 0x110000}}));
    EXPECT_FALSE(regions.any_free(sized(0x100000, k4K)));
}

TEST_F(PhysicalRegionsTest, ReservationsOutsideRamChangeNothing) {
    keep(regions, ReservationKind::Framebuffer, 0xfd000000, 0x300000);
    keep(regions, ReservationKind::Module, 0x0, 0x1000);              // in a hole of the map
    keep(regions, ReservationKind::KernelSymbols, 0x20000, 0x10000);  // exactly between two
    EXPECT_EQ(compute({{0x10000, 0x10000, kAvailable}, {0x30000, 0x10000, kAvailable}}),
              (Ranges{{0x10000, 0x20000}, {0x30000, 0x40000}}));
    EXPECT_EQ(regions.reservations().size(), 3u);
}

TEST_F(PhysicalRegionsTest, OverlappingReservationsAndOneCoveringEverything) {
    keep(regions, ReservationKind::KernelImage, 0x100000, 0xdf000);
    keep(regions, ReservationKind::BootInformation, 0x100430, 1256);  // inside the image
    EXPECT_EQ(compute({{0x0, 0x400000, kAvailable}}),
              (Ranges{{0x0, 0x100000}, {0x1df000, 0x400000}}));
    keep(regions, ReservationKind::LowMemory, 0, kTop);
    EXPECT_TRUE(compute({{0x0, 0x400000, kAvailable}}).empty());
}

TEST_F(PhysicalRegionsTest, ZeroLengthEntriesAndReservationsAreIgnored) {
    EXPECT_EQ(regions.reserve(ReservationKind::Module, 0x5000, 0),
              PhysicalRegions::ReserveError::Empty);
    EXPECT_TRUE(regions.reservations().empty());
    Map map{{0x0, 0x10000, kAvailable}, {0x4000, 0, kReserved}, {0x20000, 0, kAvailable}};
    EXPECT_EQ(compute(map), (Ranges{{0x0, 0x10000}}));
    EXPECT_FALSE(regions.is_free(sized(0x1000, 0)));
    EXPECT_FALSE(regions.any_free(sized(0x1000, 0)));
}

TEST_F(PhysicalRegionsTest, TooManyReservationsLeaveNothingFree) {
    for (usize i = 0; i < PhysicalRegions::kMaxReservations; ++i)
        EXPECT_EQ(regions.reserve(ReservationKind::Module, 0x100000 + 2 * k4K * i, k4K), kRecorded);
    EXPECT_EQ(compute({{0x0, 0x10000000, kAvailable}}).size(),
              PhysicalRegions::kMaxReservations + 1);
    EXPECT_TRUE(regions.complete());
    EXPECT_EQ(regions.reserve(ReservationKind::KernelSymbols, 0x8000000, k4K),
              PhysicalRegions::ReserveError::Full);
    EXPECT_EQ(regions.reservations_dropped(), 1u);
    // The dropped range cannot be told apart: nothing is free.
    EXPECT_TRUE(compute({{0x0, 0x10000000, kAvailable}}).empty());
    EXPECT_FALSE(regions.complete());
    EXPECT_FALSE(regions.is_free(sized(0x0, k4K)));
}

TEST_F(PhysicalRegionsTest, TooManyFreeRangesKeepTheLowest) {
    Map map;
    constexpr usize kRegions = PhysicalRegions::kMaxFreeRanges + 50;
    for (usize i = kRegions; i-- > 0;) map.push_back({2 * k4K * i, k4K, kAvailable});  // descending
    Ranges got = compute(map);
    ASSERT_EQ(got.size(), PhysicalRegions::kMaxFreeRanges);
    for (usize i = 0; i < got.size(); ++i) EXPECT_EQ(got[i].first, 2 * k4K * i);
    EXPECT_GE(regions.free_ranges_dropped(), 50u);
    EXPECT_FALSE(regions.complete());
    EXPECT_FALSE(regions.any_free(sized(2 * k4K * PhysicalRegions::kMaxFreeRanges, kTop)));
}

TEST_F(PhysicalRegionsTest, SplittingAFullListDropsTheHighestRange) {
    Map map;
    for (usize i = 0; i < PhysicalRegions::kMaxFreeRanges; ++i)
        map.push_back({4 * k4K * i, 3 * k4K, kAvailable});
    keep(regions, ReservationKind::Module, k4K, 1);  // splits the first range
    Ranges got = compute(map);
    ASSERT_EQ(got.size(), PhysicalRegions::kMaxFreeRanges);
    EXPECT_EQ(got[0], (std::pair<u64, u64>{0x0, k4K}));
    EXPECT_EQ(got[1], (std::pair<u64, u64>{2 * k4K, 3 * k4K}));
    EXPECT_EQ(got.back().first, 4 * k4K * (PhysicalRegions::kMaxFreeRanges - 2));
    EXPECT_EQ(regions.free_ranges_dropped(), 1u);

    // Splitting the highest range itself: its upper part goes.
    regions.clear();
    keep(regions, ReservationKind::Module, 4 * k4K * (PhysicalRegions::kMaxFreeRanges - 1) + k4K,
         1);
    got = compute(map);
    ASSERT_EQ(got.size(), PhysicalRegions::kMaxFreeRanges);
    EXPECT_EQ(got.back().second - got.back().first, k4K);
    EXPECT_EQ(regions.free_ranges_dropped(), 1u);
}

TEST(PhysicalRegionsKinds, NamesAsTheLogPrintsThem) {
    EXPECT_EQ(kind_name(ReservationKind::LowMemory), ktl::string_view("real-mode/BIOS area"));
    EXPECT_EQ(kind_name(ReservationKind::KernelImage), ktl::string_view("kernel image"));
    EXPECT_EQ(kind_name(ReservationKind::BootInformation), ktl::string_view("boot information"));
    EXPECT_EQ(kind_name(ReservationKind::Module), ktl::string_view("module"));
    EXPECT_EQ(kind_name(ReservationKind::KernelSymbols), ktl::string_view("kernel symbols"));
    EXPECT_EQ(kind_name(ReservationKind::Framebuffer), ktl::string_view("framebuffer"));
}

}  // namespace
}  // namespace kernel::mm
