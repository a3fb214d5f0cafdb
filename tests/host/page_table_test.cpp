// The page-table library (src/arch/x86_64/paging/) against fake physical
// memory: page-table pages are heap buffers keyed by made-up physical
// addresses, so every walk the kernel does runs here under ASan/UBSan.
#include "arch/x86_64/paging/address.hpp"
#include "arch/x86_64/paging/entry.hpp"
#include "arch/x86_64/paging/mapper.hpp"

#include <gtest/gtest.h>

#include <array>
#include <map>
#include <memory>
#include <vector>

namespace arch::paging {
namespace {

constexpr u64 k4K = kPageSize;
const MapResult kOk{};
constexpr u64 k2M = 2ULL << 20;
constexpr u64 k1G = 1ULL << 30;
constexpr u64 kKernelBase = 0xFFFF'FFFF'8000'0000ULL;
constexpr u64 kDirectBase = 0xFFFF'8000'0000'0000ULL;

// Table pages at made-up physical addresses from 0x7000'0000 up; `limit`
// pages at most, after which allocate_table() fails.
class FakeMemory {
public:
    explicit FakeMemory(usize limit = 1000) : limit_(limit) {}

    u64* table(PhysAddr phys) {
        auto it = pages_.find(phys.value());
        if (it == pages_.end()) {
            ADD_FAILURE() << "walked into a table that was never allocated: " << std::hex
                          << phys.value();
            return scratch_.data();
        }
        return it->second->data();
    }
    ktl::optional<PhysAddr> allocate_table() {
        if (pages_.size() >= limit_) return ktl::nullopt;
        u64 phys = 0x7000'0000 + pages_.size() * k4K;
        pages_[phys] = std::make_unique<std::array<u64, 512>>();  // zeroed
        return PhysAddr{phys};
    }
    void flush(VirtAddr virt) { flushed.push_back(virt.value()); }

    usize tables() const { return pages_.size(); }
    std::vector<u64> flushed;

private:
    usize limit_;
    std::map<u64, std::unique_ptr<std::array<u64, 512>>> pages_;
    std::array<u64, 512> scratch_{};
};

static_assert(TableMemory<FakeMemory>);

class PageTableMapperTest : public ::testing::Test {
protected:
    Mapper<FakeMemory> make(MapperConfig config = {}) {
        return Mapper<FakeMemory>{memory_, *memory_.allocate_table(), config};
    }
    FakeMemory memory_;
    Mapper<FakeMemory> mapper_ = make();
};

constexpr PageFlags kRW = PageFlags::Writable;
constexpr PageFlags kRX = PageFlags::Executable;
constexpr PageFlags kRO = PageFlags::None;

// ---- map / translate / unmap ----

TEST_F(PageTableMapperTest, Map4KAndTranslateWithOffset) {
    ASSERT_EQ(mapper_.map(VirtAddr{0x40'0000}, PhysAddr{0x9000}, PageSize::Size4K, kRW), kOk);
    auto t = mapper_.translate(VirtAddr{0x40'0abc});
    ASSERT_TRUE(t.has_value());
    EXPECT_EQ(t->phys.value(), 0x9abcu);
    EXPECT_EQ(t->page.value(), 0x9000u);
    EXPECT_EQ(t->page_virt.value(), 0x40'0000u);
    EXPECT_EQ(t->size, PageSize::Size4K);
    EXPECT_EQ(t->flags, kRW);
    EXPECT_FALSE(mapper_.translate(VirtAddr{0x40'1000}).has_value());
    EXPECT_FALSE(mapper_.translate(VirtAddr{0x3F'F000}).has_value());
    EXPECT_EQ(memory_.tables(), 4u);  // PML4, PDPT, PD, PT
}

TEST_F(PageTableMapperTest, HighCanonicalAddresses) {
    ASSERT_EQ(
        mapper_.map(VirtAddr{kKernelBase + 0x1000}, PhysAddr{0x10'1000}, PageSize::Size4K, kRX),
        kOk);
    ASSERT_EQ(mapper_.map(VirtAddr{kDirectBase + k2M}, PhysAddr{k2M}, PageSize::Size2M, kRW), kOk);
    EXPECT_EQ(mapper_.translate(VirtAddr{kKernelBase + 0x1234})->phys.value(), 0x10'1234u);
    EXPECT_EQ(mapper_.translate(VirtAddr{kDirectBase + k2M + 77})->phys.value(), k2M + 77);
    // The root's entries 511 and 256 were used.
    u64* root = memory_.table(mapper_.root());
    EXPECT_TRUE(Entry{root[511]}.present());
    EXPECT_TRUE(Entry{root[256]}.present());
    EXPECT_FALSE(Entry{root[0]}.present());
}

TEST_F(PageTableMapperTest, Permissions) {
    ASSERT_EQ(mapper_.map(VirtAddr{0x1000}, PhysAddr{0x1000}, PageSize::Size4K, kRX), kOk);
    ASSERT_EQ(mapper_.map(VirtAddr{0x2000}, PhysAddr{0x2000}, PageSize::Size4K, kRO), kOk);
    ASSERT_EQ(mapper_.map(VirtAddr{0x3000}, PhysAddr{0x3000}, PageSize::Size4K, kRW), kOk);
    ASSERT_EQ(mapper_.map(VirtAddr{0x4000}, PhysAddr{0x4000}, PageSize::Size4K,
                          kRW | PageFlags::User | PageFlags::Global),
              kOk);

    auto text = mapper_.translate(VirtAddr{0x1000});
    EXPECT_FALSE(text->leaf.writable());
    EXPECT_FALSE(text->leaf.no_execute());
    EXPECT_EQ(text->flags, kRX);
    auto rodata = mapper_.translate(VirtAddr{0x2000});
    EXPECT_TRUE(rodata->leaf.no_execute());
    EXPECT_EQ(rodata->flags, kRO);
    auto data = mapper_.translate(VirtAddr{0x3000});
    EXPECT_TRUE(data->leaf.no_execute());
    EXPECT_EQ(data->flags, kRW);
    auto user = mapper_.translate(VirtAddr{0x4000});
    EXPECT_EQ(user->flags, kRW | PageFlags::User | PageFlags::Global);
    // Supervisor pages next to it stay supervisor even though the upper
    // levels now allow user access.
    EXPECT_FALSE(has(mapper_.translate(VirtAddr{0x3000})->flags, PageFlags::User));
    u64* root = memory_.table(mapper_.root());
    EXPECT_TRUE(Entry{root[0]}.user());
    EXPECT_TRUE(Entry{root[0]}.writable());
    EXPECT_FALSE(Entry{root[0]}.no_execute());
}

TEST_F(PageTableMapperTest, EffectivePermissionsCombineLevels) {
    ASSERT_EQ(mapper_.map(VirtAddr{0x1000}, PhysAddr{0x1000}, PageSize::Size4K, kRW | kRX), kOk);
    u64* root = memory_.table(mapper_.root());
    root[0] &= ~Entry::kWritable;
    root[0] |= Entry::kNoExecute;
    auto t = mapper_.translate(VirtAddr{0x1000});
    ASSERT_TRUE(t.has_value());
    EXPECT_FALSE(has(t->flags, PageFlags::Writable));
    EXPECT_FALSE(has(t->flags, PageFlags::Executable));
    EXPECT_TRUE(t->leaf.writable());  // the leaf alone would allow it
}

TEST_F(PageTableMapperTest, WithoutNxEverythingIsExecutable) {
    auto mapper = make(MapperConfig{false, true});
    ASSERT_EQ(mapper.map(VirtAddr{0x1000}, PhysAddr{0x1000}, PageSize::Size4K, kRW), kOk);
    auto t = mapper.translate(VirtAddr{0x1000});
    EXPECT_FALSE(t->leaf.no_execute());
    EXPECT_EQ(t->flags, kRW | kRX);
}

TEST_F(PageTableMapperTest, LargePages) {
    ASSERT_EQ(mapper_.map(VirtAddr{0x20'0000}, PhysAddr{0x4000'0000}, PageSize::Size2M, kRW), kOk);
    auto t = mapper_.translate(VirtAddr{0x3F'FFFF});
    ASSERT_TRUE(t.has_value());
    EXPECT_EQ(t->size, PageSize::Size2M);
    EXPECT_EQ(t->phys.value(), 0x401F'FFFFu);
    EXPECT_TRUE(t->leaf.huge());
    EXPECT_EQ(memory_.tables(), 3u);  // no PT

    ASSERT_EQ(mapper_.map(VirtAddr{kDirectBase + k1G}, PhysAddr{k1G}, PageSize::Size1G, kRW), kOk);
    auto g = mapper_.translate(VirtAddr{kDirectBase + k1G + 0x1234'5678});
    ASSERT_TRUE(g.has_value());
    EXPECT_EQ(g->size, PageSize::Size1G);
    EXPECT_EQ(g->phys.value(), k1G + 0x1234'5678);
}

TEST_F(PageTableMapperTest, OneGiBPagesNeedCpuSupport) {
    auto mapper = make(MapperConfig{true, false});
    EXPECT_EQ(mapper.map(VirtAddr{k1G}, PhysAddr{k1G}, PageSize::Size1G, kRW),
              MapError::PageSizeUnsupported);
    RangeResult r = mapper.map_range(VirtAddr{kDirectBase}, PhysAddr{0}, 2 * k1G, kRW);
    ASSERT_TRUE(r.ok());
    EXPECT_EQ(r->pages[2], 0u);
    EXPECT_EQ(r->pages[1], 1024u);
}

TEST_F(PageTableMapperTest, Unmap) {
    ASSERT_EQ(mapper_.map(VirtAddr{0x5000}, PhysAddr{0x8000}, PageSize::Size4K, kRW), kOk);
    ASSERT_EQ(mapper_.map(VirtAddr{0x6000}, PhysAddr{0x9000}, PageSize::Size4K, kRW), kOk);
    EXPECT_EQ(mapper_.unmap(VirtAddr{0x5000}), kOk);
    EXPECT_FALSE(mapper_.translate(VirtAddr{0x5000}).has_value());
    EXPECT_TRUE(mapper_.translate(VirtAddr{0x6000}).has_value());
    EXPECT_EQ(memory_.flushed, std::vector<u64>{0x5000});
    EXPECT_EQ(mapper_.unmap(VirtAddr{0x5000}), MapError::NotMapped);
    EXPECT_EQ(mapper_.unmap(VirtAddr{0x7FFF'0000'0000}), MapError::NotMapped);
    EXPECT_EQ(mapper_.unmap(VirtAddr{0x6001}), MapError::Misaligned);
    EXPECT_EQ(mapper_.unmap(VirtAddr{0x0000'8000'0000'0000ULL}), MapError::NonCanonical);
    // A 4 KiB mapping cannot be removed as a 2 MiB one, nor the reverse.
    EXPECT_EQ(mapper_.unmap(VirtAddr{0}, PageSize::Size2M), MapError::SizeMismatch);
    ASSERT_EQ(mapper_.map(VirtAddr{k1G}, PhysAddr{0}, PageSize::Size2M, kRW), kOk);
    EXPECT_EQ(mapper_.unmap(VirtAddr{k1G + k4K}), MapError::SizeMismatch);
    EXPECT_EQ(mapper_.unmap(VirtAddr{k1G}, PageSize::Size2M), kOk);
    EXPECT_FALSE(mapper_.translate(VirtAddr{k1G}).has_value());
}

// ---- refusing to clobber, and errors ----

TEST_F(PageTableMapperTest, RemappingIdenticallyIsANoOp) {
    ASSERT_EQ(mapper_.map(VirtAddr{0x1000}, PhysAddr{0x1000}, PageSize::Size4K, kRW), kOk);
    // The CPU sets accessed/dirty; they do not make the mapping different.
    memory_.table(PhysAddr{0x7000'3000})[1] |= Entry::kAccessed | Entry::kDirty;
    EXPECT_EQ(mapper_.map(VirtAddr{0x1000}, PhysAddr{0x1000}, PageSize::Size4K, kRW), kOk);
    EXPECT_TRUE(memory_.flushed.empty());
}

TEST_F(PageTableMapperTest, RefusesToReplaceUnlessAsked) {
    ASSERT_EQ(mapper_.map(VirtAddr{0x1000}, PhysAddr{0x1000}, PageSize::Size4K, kRW), kOk);
    EXPECT_EQ(mapper_.map(VirtAddr{0x1000}, PhysAddr{0x1000}, PageSize::Size4K, kRO),
              MapError::AlreadyMapped);
    EXPECT_EQ(mapper_.map(VirtAddr{0x1000}, PhysAddr{0x2000}, PageSize::Size4K, kRW),
              MapError::AlreadyMapped);
    EXPECT_EQ(mapper_.translate(VirtAddr{0x1000})->flags, kRW);

    EXPECT_EQ(
        mapper_.map(VirtAddr{0x1000}, PhysAddr{0x2000}, PageSize::Size4K, kRO, Overwrite::Yes),
        kOk);
    auto t = mapper_.translate(VirtAddr{0x1000});
    EXPECT_EQ(t->phys.value(), 0x2000u);
    EXPECT_EQ(t->flags, kRO);
    EXPECT_EQ(memory_.flushed, std::vector<u64>{0x1000});
}

TEST_F(PageTableMapperTest, NeverSplitsOrReplacesTables) {
    ASSERT_EQ(mapper_.map(VirtAddr{0}, PhysAddr{0}, PageSize::Size2M, kRW), kOk);
    EXPECT_EQ(mapper_.map(VirtAddr{0x1000}, PhysAddr{0x1000}, PageSize::Size4K, kRW),
              MapError::HugePageInTheWay);
    ASSERT_EQ(mapper_.map(VirtAddr{k2M + k4K}, PhysAddr{0}, PageSize::Size4K, kRW), kOk);
    EXPECT_EQ(mapper_.map(VirtAddr{k2M}, PhysAddr{0}, PageSize::Size2M, kRW, Overwrite::Yes),
              MapError::TableInTheWay);
    ASSERT_EQ(mapper_.map(VirtAddr{k1G}, PhysAddr{0}, PageSize::Size1G, kRW), kOk);
    EXPECT_EQ(mapper_.map(VirtAddr{k1G + k2M}, PhysAddr{0}, PageSize::Size2M, kRW),
              MapError::HugePageInTheWay);
}

TEST_F(PageTableMapperTest, RejectsBadArguments) {
    EXPECT_EQ(mapper_.map(VirtAddr{0x0000'8000'0000'0000ULL}, PhysAddr{0}, PageSize::Size4K, kRW),
              MapError::NonCanonical);
    EXPECT_EQ(mapper_.map(VirtAddr{0x1001}, PhysAddr{0}, PageSize::Size4K, kRW),
              MapError::Misaligned);
    EXPECT_EQ(mapper_.map(VirtAddr{0x1000}, PhysAddr{0x10}, PageSize::Size4K, kRW),
              MapError::Misaligned);
    EXPECT_EQ(mapper_.map(VirtAddr{k2M}, PhysAddr{k4K}, PageSize::Size2M, kRW),
              MapError::Misaligned);
    EXPECT_EQ(mapper_.map(VirtAddr{k1G / 2}, PhysAddr{0}, PageSize::Size1G, kRW),
              MapError::Misaligned);
    EXPECT_EQ(mapper_.map(VirtAddr{0x1000}, PhysAddr{1ULL << 52}, PageSize::Size4K, kRW),
              MapError::PhysOutOfRange);
    EXPECT_FALSE(mapper_.translate(VirtAddr{0x0000'8000'0000'0000ULL}).has_value());
    EXPECT_STREQ(describe(MapError::AlreadyMapped), "a different mapping already exists there");
    EXPECT_EQ(memory_.tables(), 1u);  // nothing was allocated for the failures
}

TEST(PageTableMapperLimits, OutOfTables) {
    FakeMemory memory{3};  // root, PDPT, PD: no room for a PT
    Mapper<FakeMemory> mapper{memory, *memory.allocate_table()};
    EXPECT_EQ(mapper.map(VirtAddr{0x1000}, PhysAddr{0x1000}, PageSize::Size4K, kRW),
              MapError::OutOfTables);
    // A 2 MiB page needs no PT.
    EXPECT_EQ(mapper.map(VirtAddr{k2M}, PhysAddr{k2M}, PageSize::Size2M, kRW), kOk);
    RangeResult r = mapper.map_range(VirtAddr{4 * k2M}, PhysAddr{0}, k2M + k4K, kRW);
    EXPECT_EQ(r.error().error, MapError::OutOfTables);
    EXPECT_EQ(r.error().where.value(), 5 * k2M);
    EXPECT_EQ(r.error().done.pages[1], 1u);
}

// ---- ranges ----

TEST_F(PageTableMapperTest, MapRangeUsesTheLargestPagesThatFit) {
    // 4 KiB up to the 2 MiB boundary, 2 MiB pages up to 1 GiB, one 1 GiB
    // page, then 2 MiB and 4 KiB pages for the tail.
    u64 start = k2M - 2 * k4K;
    u64 length = (k1G - start) + k1G + k2M + k4K;
    RangeResult r = mapper_.map_range(VirtAddr{kDirectBase + start}, PhysAddr{start}, length, kRW);
    ASSERT_TRUE(r.ok()) << describe(r.error().error);
    EXPECT_EQ(r->pages[0], 3u);
    EXPECT_EQ(r->pages[1], 511u + 1u);
    EXPECT_EQ(r->pages[2], 1u);
    for (u64 probe : {start, k2M, k1G - 1, k1G, 2 * k1G + 5, start + length - 1})
        EXPECT_EQ(mapper_.translate(VirtAddr{kDirectBase + probe})->phys.value(), probe) << probe;
    EXPECT_FALSE(mapper_.translate(VirtAddr{kDirectBase + start - 1}).has_value());
    EXPECT_FALSE(mapper_.translate(VirtAddr{kDirectBase + start + length}).has_value());
}

TEST_F(PageTableMapperTest, MapRangeHonoursTheLargestSizeAndExistingTables) {
    RangeResult small = mapper_.map_range(VirtAddr{0}, PhysAddr{0}, k2M, kRW, PageSize::Size4K);
    ASSERT_TRUE(small.ok());
    EXPECT_EQ(small->pages[0], 512u);
    // Over an existing PT a 2 MiB page does not fit: 4 KiB pages, identical, succeed.
    RangeResult again = mapper_.map_range(VirtAddr{0}, PhysAddr{0}, k2M, kRW);
    ASSERT_TRUE(again.ok());
    EXPECT_EQ(again->pages[0], 512u);
    EXPECT_EQ(again->pages[1], 0u);
}

// A run of 4 KiB pages fills each page table without walking from the
// root for every page: the result must be exactly what one map() a page
// gives, across page tables, a page directory and the user bit.
TEST_F(PageTableMapperTest, MapRangeOfSmallPagesMatchesPageByPage) {
    // Virtual and physical 4 KiB apart in alignment: no large page fits.
    const u64 virt = k1G - 700 * k4K;
    const u64 phys = 0x1234'5000;
    const u64 length = 1500 * k4K;  // three page tables, over a 1 GiB boundary
    const PageFlags flags = kRW | PageFlags::User;
    RangeResult r = mapper_.map_range(VirtAddr{virt}, PhysAddr{phys}, length, flags);
    ASSERT_TRUE(r.ok()) << describe(r.error().error);
    EXPECT_EQ(r->pages[0], 1500u);

    FakeMemory memory;
    Mapper<FakeMemory> one_by_one{memory, *memory.allocate_table()};
    for (u64 done = 0; done < length; done += k4K)
        ASSERT_EQ(
            one_by_one.map(VirtAddr{virt + done}, PhysAddr{phys + done}, PageSize::Size4K, flags),
            kOk);
    EXPECT_EQ(memory_.tables(), memory.tables());
    std::vector<std::pair<u64, u64>> ranged;
    std::vector<std::pair<u64, u64>> single;
    mapper_.for_each_page(
        [&](const Translation& t) { ranged.emplace_back(t.page_virt.value(), t.leaf.raw()); });
    one_by_one.for_each_page(
        [&](const Translation& t) { single.emplace_back(t.page_virt.value(), t.leaf.raw()); });
    EXPECT_EQ(ranged, single);
    EXPECT_TRUE(has(mapper_.translate(VirtAddr{virt + length - 1})->flags, PageFlags::User));

    // A clash half-way through a table stops the run there.
    ASSERT_EQ(mapper_.map(VirtAddr{k2M * 600 + 7 * k4K}, PhysAddr{0}, PageSize::Size4K, kRW), kOk);
    RangeResult clash =
        mapper_.map_range(VirtAddr{k2M * 600}, PhysAddr{k2M}, 10 * k4K, kRW, PageSize::Size4K);
    EXPECT_EQ(clash.error().error, MapError::AlreadyMapped);
    EXPECT_EQ(clash.error().where.value(), k2M * 600 + 7 * k4K);
    EXPECT_EQ(clash.error().done.pages[0], 7u);
}

TEST_F(PageTableMapperTest, MapRangeErrors) {
    EXPECT_EQ(mapper_.map_range(VirtAddr{0x1000}, PhysAddr{0}, 100, kRW).error().error,
              MapError::Misaligned);
    EXPECT_TRUE(mapper_.map_range(VirtAddr{0x1000}, PhysAddr{0}, 0, kRW).ok());
    // Across the non-canonical hole.
    EXPECT_EQ(mapper_.map_range(VirtAddr{0x0000'7FFF'FFFF'F000ULL}, PhysAddr{0}, 2 * k4K, kRW)
                  .error()
                  .error,
              MapError::NonCanonical);
    // Wrapping past 2^64.
    EXPECT_EQ(mapper_.map_range(VirtAddr{0xFFFF'FFFF'FFFF'F000ULL}, PhysAddr{0}, 2 * k4K, kRW)
                  .error()
                  .error,
              MapError::NonCanonical);
    EXPECT_EQ(
        mapper_.map_range(VirtAddr{0}, PhysAddr{(1ULL << 52) - k4K}, 2 * k4K, kRW).error().error,
        MapError::PhysOutOfRange);
    ASSERT_EQ(mapper_.map(VirtAddr{0x3000}, PhysAddr{0x9000}, PageSize::Size4K, kRW), kOk);
    RangeResult clash = mapper_.map_range(VirtAddr{0x1000}, PhysAddr{0x1000}, 4 * k4K, kRW);
    EXPECT_EQ(clash.error().error, MapError::AlreadyMapped);
    EXPECT_EQ(clash.error().where.value(), 0x3000u);
    EXPECT_EQ(clash.error().done.pages[0], 2u);
}

TEST_F(PageTableMapperTest, ForEachPageVisitsEveryMappingInOrder) {
    ASSERT_EQ(mapper_.map(VirtAddr{kKernelBase}, PhysAddr{0x10'0000}, PageSize::Size4K, kRX), kOk);
    ASSERT_EQ(mapper_.map(VirtAddr{kDirectBase}, PhysAddr{0}, PageSize::Size2M, kRW), kOk);
    ASSERT_EQ(mapper_.map(VirtAddr{0xB8000}, PhysAddr{0xB8000}, PageSize::Size4K, kRW), kOk);
    std::vector<std::pair<u64, PageSize>> seen;
    mapper_.for_each_page([&](const Translation& t) {
        seen.emplace_back(t.page_virt.value(), t.size);
        EXPECT_EQ(t.phys, t.page);
    });
    std::vector<std::pair<u64, PageSize>> want{{0xB8000, PageSize::Size4K},
                                               {kDirectBase, PageSize::Size2M},
                                               {kKernelBase, PageSize::Size4K}};
    EXPECT_EQ(seen, want);
}

}  // namespace
}  // namespace arch::paging
