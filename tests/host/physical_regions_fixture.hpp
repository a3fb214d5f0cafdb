// Memory maps written as tables and the PhysicalRegions fixture, shared by the
// physical_regions_*_test.cpp files; results compare as (base, end) pairs.
#pragma once

#include <memory>
#include <utility>
#include <vector>

#include <gtest/gtest.h>

#include "kernel/mm/physical_regions.hpp"

namespace kernel::mm::regions_test {

inline constexpr u64 k4K = 4096;
inline constexpr u64 kTop = ~0ULL;
inline constexpr boot::MemoryKind kAvailable = boot::MemoryKind::Usable;
inline constexpr boot::MemoryKind kReserved = boot::MemoryKind::Reserved;
inline constexpr boot::MemoryKind kAcpiReclaimable = boot::MemoryKind::AcpiReclaimable;

// A memory-map entry as the tests' tables write it, raw; compute() turns each
// into the boot::MemoryRegion the kernel reads.
struct Entry {
    u64 base;
    u64 length;
    boot::MemoryKind kind;
};
using Map = std::vector<Entry>;

inline std::vector<boot::MemoryRegion> regions_of(const Map& map) {
    std::vector<boot::MemoryRegion> out;
    for (const Entry& e : map) out.push_back({PhysAddr{e.base}, e.length, e.kind});
    return out;
}
using ReserveError = PhysicalRegions::ReserveError;

constexpr PhysRange range(u64 base, u64 end) { return PhysRange{PhysAddr{base}, PhysAddr{end}}; }
// [base, base + length), the end clamped to 2^64 - 1 instead of wrapping.
constexpr PhysRange sized(u64 base, u64 length) { return PhysRange::from_size(base, length); }
inline const Result<void, ReserveError> kRecorded{};

// Reserves where the test does not look at the outcome: it must be recorded,
// or empty (zero length).
inline void keep(PhysicalRegions& regions, ReservationKind kind, u64 base, u64 length) {
    auto kept = regions.reserve(kind, base, length);
    EXPECT_TRUE(kept || kept.error() == ReserveError::Empty);
}
using Ranges = std::vector<std::pair<u64, u64>>;

inline Ranges ranges_of(const PhysicalRegions& regions) {
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

}  // namespace kernel::mm::regions_test
