// kernel::mm::BootFrames (src/kernel/mm/boot_frames.hpp): the page-table
// frames the kernel takes before its frame allocator exists.
#include "kernel/mm/boot_frames.hpp"

#include <gtest/gtest.h>

#include <vector>

namespace kernel::mm {
namespace {

constexpr u64 k4K = 4096;
constexpr u64 kMiB = 1ULL << 20;
constexpr u64 kGiB = 1ULL << 30;

PhysRange R(u64 base, u64 end) { return {PhysAddr{base}, PhysAddr{end}}; }

TEST(BootFrames, CarvesTheLargestRangeBelowTheLimitFromTheTop) {
    // The largest part in [1 MiB, 4 GiB): 2 GiB - 3 GiB beats the 64 KiB
    // piece below 1 MiB, the small range and the huge one above 4 GiB,
    // which is clipped to the 4 KiB below the limit.
    const std::vector<PhysRange> free{R(0x10000, 0x20000), R(2 * kMiB, 3 * kMiB),
                                      R(2 * kGiB, 3 * kGiB), R(4 * kGiB - k4K, 64 * kGiB)};
    BootFrames frames;
    ASSERT_TRUE(frames.init({free.data(), free.size()}, PhysAddr{kMiB}, PhysAddr{4 * kGiB}));
    EXPECT_EQ(frames.taken(), R(3 * kGiB, 3 * kGiB));
    EXPECT_EQ(*frames.allocate(), PhysAddr{3 * kGiB - k4K});
    EXPECT_EQ(*frames.allocate(), PhysAddr{3 * kGiB - 2 * k4K});
    EXPECT_EQ(frames.frames_taken(), 2u);
    EXPECT_EQ(frames.taken(), R(3 * kGiB - 2 * k4K, 3 * kGiB));
    EXPECT_EQ(frames.frames_left(), kGiB / k4K - 2);
    frames.close();
    EXPECT_FALSE(frames.allocate());
    EXPECT_EQ(frames.taken(), R(3 * kGiB - 2 * k4K, 3 * kGiB));  // kept for the reservation
}

TEST(BootFrames, RunsOutAndSaysSo) {
    // An unaligned floor: only whole frames inside [floor, limit) count.
    const std::vector<PhysRange> free{R(0, 2 * kMiB)};
    BootFrames frames;
    ASSERT_TRUE(frames.init({free.data(), free.size()}, PhysAddr{2 * kMiB - 3 * k4K + 1},
                            PhysAddr{4 * kGiB}));
    EXPECT_TRUE(frames.allocate());
    EXPECT_TRUE(frames.allocate());
    EXPECT_FALSE(frames.allocate());
    EXPECT_EQ(frames.taken(), R(2 * kMiB - 2 * k4K, 2 * kMiB));
    // Nothing free in the window.
    EXPECT_FALSE(frames.init({free.data(), free.size()}, PhysAddr{4 * kGiB}, PhysAddr{8 * kGiB}));
    EXPECT_FALSE(frames.allocate());
    EXPECT_FALSE(frames.init({}, PhysAddr{kMiB}, PhysAddr{4 * kGiB}));
}

}  // namespace
}  // namespace kernel::mm
