// The Multiboot2 memory tags (basic meminfo, the EFI map, the memory map): the
// memory map decides what RAM the kernel uses, so its sums and limits are exact.
#include <gtest/gtest.h>

#include <cstdint>
#include <initializer_list>
#include <vector>

#include "mbi_parse.hpp"

namespace mb2 = boot::multiboot2;
using mb2::Error;
using mbi_test::expect_tag_error;
using mbi_test::kPhys;
using mbi_test::MbiBuilder;
using mbi_test::Parsed;
using mbi_test::Payload;
using mbi_test::run_ok;
using mbi_test::sv;

namespace {

constexpr uint64_t kGiB = 1ull << 30;

}  // namespace

TEST(Multiboot2Tags, BasicMeminfo) {
    Parsed p = run_ok(MbiBuilder().basic_meminfo(639, 523264));
    EXPECT_TRUE(p.info->basic_meminfo.present);
    EXPECT_EQ(p.info->basic_meminfo.mem_lower_kib, 639u);
    EXPECT_EQ(p.info->basic_meminfo.mem_upper_kib, 523264u);
    expect_tag_error(MbiBuilder().tag(4, Payload().u32(1)), Error::TagTooShort, 8, 4);
}

TEST(Multiboot2Tags, EfiMemoryMap) {
    MbiBuilder b;
    const uint32_t at = b.offset();
    Parsed p = run_ok(b.efi_mmap(48, 1, 7));
    const mb2::EfiMemoryMap& m = p.info->efi_memory_map;
    EXPECT_TRUE(m.present);
    EXPECT_EQ(m.descriptor_size, 48u);
    EXPECT_EQ(m.descriptor_version, 1u);
    EXPECT_EQ(m.count, 7u);
    EXPECT_EQ(m.size, 7u * 48);
    EXPECT_EQ(m.phys, kPhys + at + 16);
    EXPECT_EQ(run_ok(MbiBuilder().efi_mmap(40, 1, 0)).info->efi_memory_map.count, 0u);
}

TEST(Multiboot2Tags, EfiMemoryMapErrors) {
    expect_tag_error(MbiBuilder().efi_mmap(32, 1, 2), Error::EfiMmapDescriptorSizeInvalid, 8, 17);
    expect_tag_error(MbiBuilder().efi_mmap(44, 1, 2), Error::EfiMmapDescriptorSizeInvalid, 8, 17);
    expect_tag_error(MbiBuilder().efi_mmap(0, 1, 0), Error::EfiMmapDescriptorSizeInvalid, 8, 17);
    expect_tag_error(MbiBuilder().efi_mmap(48, 2, 2), Error::EfiMmapVersionUnsupported, 8, 17);
    expect_tag_error(MbiBuilder().tag(17, Payload().u32(48).u32(1).zeros(100)),
                     Error::EfiMmapPartialEntry, 8, 17);
    expect_tag_error(MbiBuilder().tag(17, Payload().u32(48)), Error::TagTooShort, 8, 17);
}

// --- The memory map -------------------------------------------------------

TEST(Multiboot2MemoryMap, QemuStyleMap) {
    Parsed p = run_ok(MbiBuilder().mmap({{0, 0x9fc00, 1},
                                         {0x9fc00, 0x400, 2},
                                         {0xf0000, 0x10000, 2},
                                         {0x100000, 0x7ee0000, 1},
                                         {0x7fe0000, 0x20000, 2},
                                         {0xfffc0000, 0x40000, 2}}));
    const mb2::MemoryMap& map = p.info->memory_map;
    EXPECT_TRUE(map.present);
    ASSERT_EQ(map.view().size(), 6u);
    EXPECT_EQ(map.regions[3].base, 0x100000u);
    EXPECT_EQ(map.regions[3].length, 0x7ee0000u);
    EXPECT_TRUE(map.regions[3].available());
    EXPECT_FALSE(map.regions[1].available());
    EXPECT_EQ(p.info->usable_bytes(), 0x9fc00u + 0x7ee0000u);
}

TEST(Multiboot2MemoryMap, EightGiBAbove4GiBSumsCorrectly) {
    Parsed p = run_ok(MbiBuilder().mmap({{0, 0x9fc00, 1},
                                         {0x100000, 0xbff00000, 1},
                                         {0xc0000000, 0x40000000, 2},
                                         {0x1'0000'0000ull, 5 * kGiB, 1},
                                         {0x2'4000'0000ull, 3 * kGiB, 4}}));
    EXPECT_EQ(p.info->usable_bytes(), 0x9fc00ull + 0xbff00000ull + 5 * kGiB);
    EXPECT_GT(p.info->usable_bytes(), 5 * kGiB + 3 * kGiB - kGiB / 2);
}

TEST(Multiboot2MemoryMap, UsableBytesSaturates) {
    Parsed p = run_ok(MbiBuilder().mmap({{0, 1ull << 63, 1},
                                         {1ull << 63, 1ull << 62, 1},
                                         {(1ull << 63) + (1ull << 62), 1ull << 62, 1}}));
    // Exactly 2^64 bytes: one more than u64 can hold.
    EXPECT_EQ(p.info->usable_bytes(), ~uint64_t{0});
}

TEST(Multiboot2MemoryMap, RegionEndingAt2To64IsFine) {
    Parsed p = run_ok(MbiBuilder().mmap({{~uint64_t{0} - 0xfff, 0x1000, 2}}));
    EXPECT_EQ(p.info->memory_map.count, 1u);
}

TEST(Multiboot2MemoryMap, RegionWrapping) {
    expect_tag_error(MbiBuilder().mmap({{0, 0x1000, 1}, {~uint64_t{0} - 0xfff, 0x1001, 1}}),
                     Error::MmapRegionWraps, 8, 6);
    expect_tag_error(MbiBuilder().mmap({{2, ~uint64_t{0}, 1}}), Error::MmapRegionWraps, 8, 6);
}

TEST(Multiboot2MemoryMap, ZeroLengthRegionIsKept) {
    Parsed p = run_ok(MbiBuilder().mmap({{~uint64_t{0}, 0, 1}}));
    EXPECT_EQ(p.info->memory_map.count, 1u);
    EXPECT_EQ(p.info->usable_bytes(), 0u);
}

TEST(Multiboot2MemoryMap, BadEntrySize) {
    for (uint32_t size : {0u, 8u, 16u, 20u, 25u, 28u, 36u})
        expect_tag_error(MbiBuilder().tag(6, Payload().u32(size).u32(0)),
                         Error::MmapEntrySizeInvalid, 8, 6);
}

TEST(Multiboot2MemoryMap, LargerEntryStride) {
    Parsed p = run_ok(MbiBuilder().mmap({{0, 0x1000, 1}, {0x100000, 0x100000, 1}}, 32));
    ASSERT_EQ(p.info->memory_map.count, 2u);
    EXPECT_EQ(p.info->memory_map.regions[1].base, 0x100000u);
    EXPECT_EQ(p.info->usable_bytes(), 0x101000u);
}

TEST(Multiboot2MemoryMap, PartialEntry) {
    expect_tag_error(MbiBuilder().tag(6, Payload().u32(24).u32(0).zeros(24 + 16)),
                     Error::MmapPartialEntry, 8, 6);
    expect_tag_error(MbiBuilder().tag(6, Payload().u32(24)), Error::TagTooShort, 8, 6);
}

TEST(Multiboot2MemoryMap, EmptyMap) {
    Parsed p = run_ok(MbiBuilder().mmap({}));
    EXPECT_TRUE(p.info->memory_map.present);
    EXPECT_EQ(p.info->memory_map.count, 0u);
}

TEST(Multiboot2MemoryMap, MoreThanCapacityIsCounted) {
    std::vector<mbi_test::Region> regions;
    for (uint64_t i = 0; i < mb2::MemoryMap::kCapacity + 10; ++i)
        regions.push_back({i * 0x2000, 0x1000, 1});
    Parsed p = run_ok(MbiBuilder().mmap(regions));
    EXPECT_EQ(p.info->memory_map.count, mb2::MemoryMap::kCapacity);
    EXPECT_EQ(p.info->memory_map.dropped, 10u);
    EXPECT_EQ(p.info->usable_bytes(), mb2::MemoryMap::kCapacity * 0x1000);
}

TEST(Multiboot2MemoryMap, TypeNames) {
    EXPECT_EQ(sv(mb2::type_name(1)), "available");
    EXPECT_EQ(sv(mb2::type_name(2)), "reserved");
    EXPECT_EQ(sv(mb2::type_name(3)), "ACPI reclaimable");
    EXPECT_EQ(sv(mb2::type_name(4)), "ACPI NVS");
    EXPECT_EQ(sv(mb2::type_name(5)), "bad memory");
    EXPECT_EQ(sv(mb2::type_name(0)), "unknown (reserved)");
    EXPECT_EQ(sv(mb2::type_name(99)), "unknown (reserved)");
}

TEST(Multiboot2MemoryMap, UnknownTypesAreKeptButNotUsable) {
    Parsed p = run_ok(MbiBuilder().mmap({{0, 0x1000, 7}, {0x1000, 0x1000, 1}}));
    EXPECT_EQ(p.info->memory_map.regions[0].type, 7u);
    EXPECT_EQ(p.info->usable_bytes(), 0x1000u);
}
