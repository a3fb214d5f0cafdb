// Page-table index math and entry encoding (src/arch/x86_64/paging/
// address.hpp, entry.hpp): the bits every walk and every leaf rest on. The
// Mapper that edits tables of them: page_table_test.cpp.
#include "arch/x86_64/paging/address.hpp"
#include "arch/x86_64/paging/entry.hpp"

#include <gtest/gtest.h>

namespace arch::paging {
namespace {

constexpr u64 k4K = kPageSize;
constexpr u64 k2M = 2ULL << 20;
constexpr u64 k1G = 1ULL << 30;
constexpr u64 kKernelBase = 0xFFFF'FFFF'8000'0000ULL;
constexpr u64 kDirectBase = 0xFFFF'8000'0000'0000ULL;
constexpr PageFlags kRW = PageFlags::Writable;
constexpr PageFlags kRX = PageFlags::Executable;
constexpr PageFlags kRO = PageFlags::None;

// ---- index math ----

TEST(PageTableIndex, KernelBaseAtMinusTwoGiB) {
    VirtAddr v{kKernelBase};
    EXPECT_TRUE(is_canonical(v));
    EXPECT_EQ(pml4_index(v), 511u);
    EXPECT_EQ(pdpt_index(v), 510u);
    EXPECT_EQ(pd_index(v), 0u);
    EXPECT_EQ(pt_index(v), 0u);
    EXPECT_EQ(virt_from_indices(511, 510, 0, 0), v);
}

TEST(PageTableIndex, DirectMapBaseIsFirstUpperHalfEntry) {
    VirtAddr v{kDirectBase};
    EXPECT_TRUE(is_canonical(v));
    EXPECT_EQ(pml4_index(v), 256u);
    EXPECT_EQ(pdpt_index(v), 0u);
    EXPECT_EQ(virt_from_indices(256, 0, 0, 0), v);
}

TEST(PageTableIndex, EveryIndexAndOffset) {
    VirtAddr v{0xFFFF'FFFF'FFFF'FFFFULL};
    EXPECT_EQ(pml4_index(v), 511u);
    EXPECT_EQ(pdpt_index(v), 511u);
    EXPECT_EQ(pd_index(v), 511u);
    EXPECT_EQ(pt_index(v), 511u);
    EXPECT_EQ(page_offset(v), 0xFFFu);
    EXPECT_EQ(page_offset(v, PageSize::Size2M), k2M - 1);
    EXPECT_EQ(page_offset(v, PageSize::Size1G), k1G - 1);

    VirtAddr w = virt_from_indices(3, 5, 7, 9, 0x123);
    EXPECT_EQ(w.value(), (3ULL << 39) | (5ULL << 30) | (7ULL << 21) | (9ULL << 12) | 0x123);
    EXPECT_EQ(table_index(w, 4), 3u);
    EXPECT_EQ(table_index(w, 3), 5u);
    EXPECT_EQ(table_index(w, 2), 7u);
    EXPECT_EQ(table_index(w, 1), 9u);
}

TEST(PageTableIndex, Canonical) {
    EXPECT_TRUE(is_canonical(VirtAddr{0}));
    EXPECT_TRUE(is_canonical(VirtAddr{0x0000'7FFF'FFFF'FFFFULL}));
    EXPECT_FALSE(is_canonical(VirtAddr{0x0000'8000'0000'0000ULL}));
    EXPECT_FALSE(is_canonical(VirtAddr{0xFFFF'7FFF'FFFF'FFFFULL}));
    EXPECT_TRUE(is_canonical(VirtAddr{0xFFFF'8000'0000'0000ULL}));
    EXPECT_FALSE(is_canonical(VirtAddr{0x0001'0000'0000'0000ULL}));
    EXPECT_EQ(sign_extend(0x0000'8000'0000'0000ULL), kDirectBase);
}

TEST(PageTableIndex, LevelsAndSizes) {
    EXPECT_EQ(level_shift(1), 12u);
    EXPECT_EQ(level_shift(4), 39u);
    EXPECT_EQ(level_span(4), 512 * k1G);
    EXPECT_EQ(page_bytes(PageSize::Size4K), k4K);
    EXPECT_EQ(page_bytes(PageSize::Size2M), k2M);
    EXPECT_EQ(page_bytes(PageSize::Size1G), k1G);
    EXPECT_EQ(leaf_level(PageSize::Size1G), 3u);
    EXPECT_EQ(page_size_at(2), PageSize::Size2M);
}

// ---- entries ----

TEST(PageTableEntry, NamedBitsAreTheArchitecturalOnes) {
    EXPECT_EQ(Entry::kPresent, 1ULL << 0);
    EXPECT_EQ(Entry::kWritable, 1ULL << 1);
    EXPECT_EQ(Entry::kUser, 1ULL << 2);
    EXPECT_EQ(Entry::kWriteThrough, 1ULL << 3);
    EXPECT_EQ(Entry::kCacheDisable, 1ULL << 4);
    EXPECT_EQ(Entry::kAccessed, 1ULL << 5);
    EXPECT_EQ(Entry::kDirty, 1ULL << 6);
    EXPECT_EQ(Entry::kHuge, 1ULL << 7);
    EXPECT_EQ(Entry::kGlobal, 1ULL << 8);
    EXPECT_EQ(Entry::kNoExecute, 1ULL << 63);
}

TEST(PageTableEntry, LeafEncoding) {
    Entry e = Entry::leaf(PhysAddr{0x1234'5000}, PageSize::Size4K,
                          kRW | PageFlags::Global | PageFlags::CacheDisable, true);
    EXPECT_TRUE(e.present());
    EXPECT_TRUE(e.writable());
    EXPECT_FALSE(e.user());
    EXPECT_TRUE(e.global());
    EXPECT_TRUE(e.cache_disabled());
    EXPECT_FALSE(e.write_through());
    EXPECT_TRUE(e.no_execute());
    EXPECT_FALSE(e.huge());
    EXPECT_EQ(e.address(1).value(), 0x1234'5000u);
    EXPECT_EQ(e.flags(true), kRW | PageFlags::Global | PageFlags::CacheDisable);

    // Without EFER.NXE bit 63 is reserved: never set it.
    Entry x = Entry::leaf(PhysAddr{0x1000}, PageSize::Size4K, kRO, false);
    EXPECT_FALSE(x.no_execute());
    EXPECT_TRUE(has(x.flags(false), PageFlags::Executable));
}

TEST(PageTableEntry, HugeAddressesSkipThePatBit) {
    Entry e = Entry::leaf(PhysAddr{0x4020'0000}, PageSize::Size2M, kRW, true);
    EXPECT_TRUE(e.huge());
    EXPECT_TRUE(e.is_leaf(2));
    EXPECT_EQ(e.address(2).value(), 0x4020'0000u);
    // Bit 12 of a 2 MiB entry is PAT, not address.
    Entry pat{e.raw() | (1ULL << 12)};
    EXPECT_EQ(pat.address(2).value(), 0x4020'0000u);
    // Bit 7 in a PT entry is PAT: a PTE is always a leaf; a PML4E never.
    EXPECT_TRUE(Entry{Entry::kPresent}.is_leaf(1));
    EXPECT_FALSE(Entry{Entry::kPresent | Entry::kHuge}.is_leaf(4));
    EXPECT_FALSE(Entry::table(PhysAddr{0x5000}, false).is_leaf(2));
}

TEST(PageTableEntry, RwxNames) {
    EXPECT_STREQ(rwx(kRO), "R--");
    EXPECT_STREQ(rwx(kRW), "RW-");
    EXPECT_STREQ(rwx(kRX), "R-X");
    EXPECT_STREQ(rwx(kRW | kRX), "RWX");
}

}  // namespace
}  // namespace arch::paging
