// kernel::mm::PhysicalRegions (src/kernel/mm/physical_regions.hpp): free
// physical memory = available regions - other regions - reservations, in
// whole pages. Hand-made maps for each rule, a page-by-page oracle over
// random maps, and the real maps of tests/data/mbi/.
#include "kernel/mm/physical_regions.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <fstream>
#include <iterator>
#include <memory>
#include <random>
#include <string>
#include <vector>

#include "boot/multiboot2/parse.hpp"
#include "boot/multiboot2/to_params.hpp"

namespace kernel::mm {
namespace {

namespace mb2 = boot::multiboot2;

constexpr u64 k4K = 4096;
constexpr u64 kTop = ~0ULL;
constexpr boot::MemoryKind kAvailable = boot::MemoryKind::Usable;
constexpr boot::MemoryKind kReserved = boot::MemoryKind::Reserved;
constexpr boot::MemoryKind kAcpiReclaimable = boot::MemoryKind::AcpiReclaimable;

// A memory-map entry as the tables below write it, raw; compute() turns each
// into the boot::MemoryRegion the kernel reads.
struct Entry {
    u64 base;
    u64 length;
    boot::MemoryKind kind;
};
using Map = std::vector<Entry>;

std::vector<boot::MemoryRegion> regions_of(const Map& map) {
    std::vector<boot::MemoryRegion> out;
    for (const Entry& e : map) out.push_back({PhysAddr{e.base}, e.length, e.kind});
    return out;
}
using ReserveError = PhysicalRegions::ReserveError;

constexpr PhysRange range(u64 base, u64 end) { return PhysRange{PhysAddr{base}, PhysAddr{end}}; }
// [base, base + length), the end clamped to 2^64 - 1 instead of wrapping.
constexpr PhysRange sized(u64 base, u64 length) { return PhysRange::from_size(base, length); }
const Result<void, ReserveError> kRecorded{};

// Reserves where the test does not look at the outcome: it must be recorded,
// or empty (zero length).
void keep(PhysicalRegions& regions, ReservationKind kind, u64 base, u64 length) {
    auto kept = regions.reserve(kind, base, length);
    EXPECT_TRUE(kept || kept.error() == ReserveError::Empty);
}
using Ranges = std::vector<std::pair<u64, u64>>;

Ranges ranges_of(const PhysicalRegions& regions) {
    Ranges out;
    for (const PhysRange& r : regions) out.emplace_back(r.base().value(), r.end().value());
    return out;
}

// The object is 6 KiB; keep it off the test's stack frame.
struct PhysicalRegionsTest : testing::Test {
    std::unique_ptr<PhysicalRegions> owner = std::make_unique<PhysicalRegions>();
    PhysicalRegions& regions = *owner;

    Ranges compute(const Map& map) {
        const std::vector<boot::MemoryRegion> in = regions_of(map);
        regions.compute({in.data(), in.size()});
        return ranges_of(regions);
    }
};

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

TEST(PhysicalRegionsMinimum, FourMiBIsEnough) {
    EXPECT_EQ(kMinimumFreeMemory, 4u << 20);
    EXPECT_TRUE(enough_memory(4u << 20));
    EXPECT_FALSE(enough_memory((4u << 20) - k4K));
    EXPECT_FALSE(enough_memory(0));
    EXPECT_TRUE(enough_memory(kTop));
    EXPECT_TRUE(enough_memory(1u << 20, 1u << 20));
}

TEST(PhysicalRegionsKinds, NamesAsTheLogPrintsThem) {
    EXPECT_EQ(kind_name(ReservationKind::LowMemory), ktl::string_view("real-mode/BIOS area"));
    EXPECT_EQ(kind_name(ReservationKind::KernelImage), ktl::string_view("kernel image"));
    EXPECT_EQ(kind_name(ReservationKind::BootInformation), ktl::string_view("boot information"));
    EXPECT_EQ(kind_name(ReservationKind::Module), ktl::string_view("module"));
    EXPECT_EQ(kind_name(ReservationKind::KernelSymbols), ktl::string_view("kernel symbols"));
    EXPECT_EQ(kind_name(ReservationKind::Framebuffer), ktl::string_view("framebuffer"));
}

// reserve_boot_regions() with the boot information GRUB really passes.
struct PhysicalRegionsBoot : testing::Test {
    std::unique_ptr<mb2::BootInfo> info_owner = std::make_unique<mb2::BootInfo>();
    mb2::BootInfo& info = *info_owner;
    std::unique_ptr<PhysicalRegions> owner = std::make_unique<PhysicalRegions>();
    PhysicalRegions& regions = *owner;
    std::vector<u8> bytes;
    std::unique_ptr<boot::BootParams> params_owner = std::make_unique<boot::BootParams>();

    // What the kernel sees of `info`.
    const boot::BootParams& params() {
        mb2::to_params(info, *params_owner);
        return *params_owner;
    }

    // Parsed as if GRUB had put it at `phys`.
    void load(const std::string& name, u64 phys) {
        std::ifstream in(std::string(KEEL_TEST_DATA_DIR) + "/mbi/" + name, std::ios::binary);
        ASSERT_TRUE(in.good()) << "missing golden file " << name;
        bytes.assign(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
        ASSERT_TRUE(mb2::parse({bytes.data(), bytes.size()}, phys, info).ok());
    }
    static constexpr KernelPlacement kKernel{range(0x100000, 0x1df000), range(0x1e0000, 0x1e2d90),
                                             range(0x1e3000, 0x1e8a66)};

    void check_kept() {
        // The IVT/BDA page and the EBDA/video/ROM area stay; the rest of
        // the first MiB is free only where the map says available.
        EXPECT_FALSE(regions.any_free(sized(0, kRealModeDataEnd)));
        EXPECT_FALSE(regions.any_free(sized(kBiosAreaStart, kLowMemoryEnd - kBiosAreaStart)));
        EXPECT_FALSE(regions.any_free(kKernel.image));
        EXPECT_FALSE(regions.any_free(kKernel.symtab));
        EXPECT_FALSE(regions.any_free(kKernel.strtab));
        EXPECT_FALSE(regions.any_free(sized(info.mbi_phys, info.mbi_size)));
        // Every free byte is in an available region and in no other.
        for (const PhysRange& r : regions) {
            for (const mb2::MemoryRegion& m : info.memory_map.view()) {
                bool overlaps = m.base < r.end().value() && r.base().value() < m.base + m.length;
                if (overlaps && !m.available()) ADD_FAILURE() << "free range in a reserved region";
            }
            u64 at = r.base().value();
            while (at < r.end().value()) {
                u64 next = at;
                for (const mb2::MemoryRegion& m : info.memory_map.view())
                    if (m.available() && m.base <= at && at < m.base + m.length)
                        next = std::max(next, m.base + m.length);
                ASSERT_GT(next, at) << "free byte outside every available region: " << at;
                at = next;
            }
        }
    }
};

TEST_F(PhysicalRegionsBoot, SeaBiosKeepsTheLoaderRegions) {
    load("qemu-seabios.bin", 0x1df430);
    EXPECT_EQ(reserve_boot_regions(regions, params(), kKernel), 0u);
    regions.compute(params().memory_map());
    ASSERT_TRUE(regions.complete());
    auto kept = regions.reservations();
    ASSERT_EQ(kept.size(), 7u);  // page 0, BIOS area, image, MBI, .symtab, .strtab, VGA text
    EXPECT_EQ(kept[0].kind, ReservationKind::LowMemory);
    EXPECT_EQ(kept[0].range, range(0, 0x1000));
    EXPECT_EQ(kept[1].kind, ReservationKind::LowMemory);
    EXPECT_EQ(kept[1].range, range(0x80000, 0x100000));
    EXPECT_EQ(kept[2].kind, ReservationKind::KernelImage);
    EXPECT_EQ(kept[3].kind, ReservationKind::BootInformation);
    EXPECT_EQ(kept[3].range.base().value(), 0x1df430u);
    EXPECT_EQ(kept[3].range.size(), info.mbi_size);
    EXPECT_EQ(kept[4].kind, ReservationKind::KernelSymbols);
    EXPECT_EQ(kept[5].kind, ReservationKind::KernelSymbols);
    EXPECT_EQ(kept[6].kind, ReservationKind::Framebuffer);
    EXPECT_EQ(kept[6].range.base().value(), 0xb8000u);
    // The low zone: 4 KiB - 512 KiB, which SeaBIOS's map calls available.
    EXPECT_TRUE(regions.is_free(sized(0x1000, 0x7f000)));
    check_kept();
    // -m 256M: all but the first MiB, the image and the symbols (~1 MiB) and
    // SeaBIOS's top 128 KiB.
    EXPECT_GE(regions.free_bytes(), 252ull << 20);
    EXPECT_LT(regions.free_bytes(), 255ull << 20);
}

TEST_F(PhysicalRegionsBoot, OvmfMapWithModules) {
    load("qemu-ovmf.bin", 0x7000000);
    // Two modules as GRUB would add them.
    info.modules[0] = {0x7100000, 0x7100000 + 12345, {}};
    info.modules[1] = {0x7104000, 0x7105000, {}};
    info.module_count = 2;
    EXPECT_EQ(reserve_boot_regions(regions, params(), kKernel), 0u);
    regions.compute(params().memory_map());
    ASSERT_TRUE(regions.complete());
    usize modules = 0;
    for (const Reservation& r : regions.reservations())
        if (r.kind == ReservationKind::Module) ++modules;
    EXPECT_EQ(modules, 2u);
    check_kept();
    EXPECT_FALSE(regions.any_free(sized(0x7100000, 12345)));
    EXPECT_FALSE(regions.any_free(sized(0x7104000, 0x1000)));
    EXPECT_GT(regions.free_bytes(), 64ull << 20);
    EXPECT_LT(regions.free_bytes(), info.usable_bytes());
}

TEST_F(PhysicalRegionsBoot, NoSymbolsNoFramebuffer) {
    info.memory_map.regions[0] = {0x0, 0x9fc00, 1};  // Multiboot2: available
    info.memory_map.regions[1] = {0x100000, 0x300000, 1};
    info.memory_map.count = 2;
    KernelPlacement kernel{range(0x100000, 0x1df000), {}, {}};
    EXPECT_EQ(reserve_boot_regions(regions, params(), kernel), 0u);
    regions.compute(params().memory_map());
    ASSERT_EQ(regions.reservations().size(), 3u);
    EXPECT_EQ(ranges_of(regions), (Ranges{{0x1000, 0x80000}, {0x1df000, 0x400000}}));
}

}  // namespace
}  // namespace kernel::mm
