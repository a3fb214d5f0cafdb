// PhysicalRegions on 2000 random maps and reservations (fixed seed) against a
// page-by-page oracle: the corners that no hand-made map thought of.
#include "kernel/mm/physical_regions.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <random>
#include <utility>
#include <vector>

#include "physical_regions_fixture.hpp"

namespace kernel::mm {
namespace {

using regions_test::k4K;
using regions_test::kAvailable;
using regions_test::keep;
using regions_test::kReserved;
using regions_test::Map;
using regions_test::PhysicalRegionsTest;
using regions_test::regions_of;
using regions_test::sized;

// Page by page: a page is free when every byte is in an available region and
// no byte is in another region or a reservation.
TEST_F(PhysicalRegionsTest, RandomMapsMatchAPageOracle) {
    constexpr u64 kPages = 48;
    constexpr u64 kSpace = kPages * k4K;
    std::mt19937_64 rng(12345);
    auto pick = [&](u64 n) { return std::uniform_int_distribution<u64>(0, n - 1)(rng); };
    // Boundaries mostly at page or half-page edges, sometimes anywhere.
    auto address = [&]() { return pick(4) == 0 ? pick(kSpace) : pick(2 * kPages) * (k4K / 2); };
    for (int round = 0; round < 2000; ++round) {
        Map map;
        usize entries = pick(12);
        for (usize i = 0; i < entries; ++i) {
            u64 base = address();
            u64 length = pick(8) == 0 ? 0 : pick(kSpace - base + 1);
            map.push_back({base, length, pick(3) == 0 ? kReserved : kAvailable});
        }
        regions.clear();
        std::vector<std::pair<u64, u64>> reserved;
        usize count = pick(4);
        for (usize i = 0; i < count; ++i) {
            u64 base = address();
            u64 length = pick(kSpace / 4);
            keep(regions, ReservationKind::Module, base, length);
            reserved.emplace_back(base, base + length);
        }
        const std::vector<boot::MemoryRegion> in = regions_of(map);
        regions.compute({in.data(), in.size()});

        u64 expected_bytes = 0;
        for (u64 page = 0; page < kPages; ++page) {
            u64 lo = page * k4K;
            u64 hi = lo + k4K;
            bool kept = false;
            // Is every byte covered by the union of available regions?
            std::vector<std::pair<u64, u64>> pieces;
            for (const auto& r : map) {
                u64 b = std::max(r.base, lo);
                u64 e = std::min(r.base + r.length, hi);
                if (b >= e) continue;
                if (r.kind == kAvailable)
                    pieces.emplace_back(b, e);
                else
                    kept = true;
            }
            std::sort(pieces.begin(), pieces.end());
            u64 covered_to = lo;
            for (const auto& [b, e] : pieces)
                if (b <= covered_to) covered_to = std::max(covered_to, e);
            bool in_ram = covered_to == hi;
            for (const auto& [b, e] : reserved)
                if (std::max(b, lo) < std::min(e, hi)) kept = true;
            bool expect_free = in_ram && !kept;
            ASSERT_EQ(regions.is_free(sized(lo, k4K)), expect_free)
                << "round " << round << " page " << page;
            ASSERT_EQ(regions.any_free(sized(lo, k4K)), expect_free)
                << "round " << round << " page " << page;
            if (expect_free) expected_bytes += k4K;
        }
        ASSERT_EQ(regions.free_bytes(), expected_bytes) << "round " << round;
        // Sorted, disjoint, not touching, page aligned.
        for (usize i = 0; i < regions.size(); ++i) {
            const PhysRange& r = regions.free_ranges()[i];
            ASSERT_EQ(r.base().value() % k4K, 0u);
            ASSERT_EQ(r.end().value() % k4K, 0u);
            ASSERT_LT(r.base().value(), r.end().value());
            if (i > 0) {
                ASSERT_LT(regions.free_ranges()[i - 1].end().value(), r.base().value());
            }
        }
    }
}

}  // namespace
}  // namespace kernel::mm
