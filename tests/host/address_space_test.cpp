// The address-space API (src/arch/x86_64/paging/address_space.hpp) and the
// PAT layout (pat.hpp) over fake page-table memory: all-or-nothing edits,
// the errors, the TLB invalidations and the cache bits in the entries.
#include "arch/x86_64/paging/address_space.hpp"

#include <gtest/gtest.h>

#include <array>
#include <map>
#include <memory>
#include <vector>

namespace arch::paging {
namespace {

constexpr u64 k4K = kPageSize;
constexpr u64 k2M = 2ULL << 20;
constexpr u64 kBase = 0xFFFF'C000'0000'0000ULL;

class Tables {
public:
    explicit Tables(usize limit = 1000) : limit_(limit) {}
    u64* table(PhysAddr phys) { return pages_.at(phys.value())->data(); }
    ktl::optional<PhysAddr> allocate_table() {
        if (pages_.size() >= limit_) return ktl::nullopt;
        const u64 phys = 0x7000'0000 + pages_.size() * k4K;
        pages_[phys] = std::make_unique<std::array<u64, 512>>();
        return PhysAddr{phys};
    }
    void flush(VirtAddr) { ADD_FAILURE() << "the address space must batch its flushes"; }
    void set_limit(usize limit) { limit_ = limit; }
    usize count() const { return pages_.size(); }

private:
    usize limit_;
    std::map<u64, std::unique_ptr<std::array<u64, 512>>> pages_;
};

struct RecordingTlb {
    std::vector<VirtRange> ranges;
    void invalidate(VirtRange r) { ranges.push_back(r); }
};

class AddressSpaceTest : public ::testing::Test {
protected:
    Tables tables_;
    RecordingTlb tlb_;
    AddressSpace<Tables, RecordingTlb> space_{tables_, *tables_.allocate_table(), MapperConfig{},
                                              tlb_};
    const VirtAddr v_{kBase};
    const PhysAddr p_{0x1234'5000};
};

TEST(PatLayout, KeepsPowerOnEntriesAndPutsWriteCombiningInEntry4) {
    EXPECT_EQ(pat_msr_value(), 0x0007'0401'0007'0406ULL);
    EXPECT_EQ(pat_index(CacheType::WriteBack), 0u);
    EXPECT_EQ(pat_index(CacheType::Uncached), 3u);
    EXPECT_EQ(pat_index(CacheType::WriteCombining), 4u);
    EXPECT_EQ(cache_flags(CacheType::WriteCombining), PageFlags::Pat);
    EXPECT_EQ(cache_flags(CacheType::Uncached), PageFlags::WriteThrough | PageFlags::CacheDisable);
    EXPECT_EQ(cache_flags(CacheType::WriteBack), PageFlags::None);
    for (CacheType t : {CacheType::WriteBack, CacheType::WriteThrough, CacheType::UncachedMinus,
                        CacheType::Uncached, CacheType::WriteCombining})
        EXPECT_EQ(cache_type_of(cache_flags(t)), t) << cache_type_name(t);
}

TEST_F(AddressSpaceTest, MapsAndTranslatesWithPermissionsAndCacheType) {
    ASSERT_TRUE(space_.map(v_, p_, 3 * k4K, PageFlags::Writable | PageFlags::Global,
                           CacheType::WriteCombining));
    auto m = space_.translate(v_ + 2 * k4K + 5);
    ASSERT_TRUE(m);
    EXPECT_EQ(m->phys, p_ + 2 * k4K + 5);
    EXPECT_EQ(m->access, PageFlags::Writable | PageFlags::Global);
    EXPECT_EQ(m->cache, CacheType::WriteCombining);
    // The 4 KiB PTE carries PAT=1 (bit 7), PCD=PWT=0: entry 4.
    EXPECT_TRUE(m->leaf.raw() & PTE_PAT);
    EXPECT_FALSE(m->leaf.raw() & (PTE_CACHE_DISABLE | PTE_WRITE_THROUGH));
    EXPECT_TRUE(m->leaf.raw() & PTE_NO_EXECUTE);
    EXPECT_TRUE(tlb_.ranges.empty()) << "mapping fresh pages needs no invalidation";
    EXPECT_EQ(space_.translate(v_ + 3 * k4K).error(), VmError::NotMapped);
}

TEST_F(AddressSpaceTest, LargePageCarriesPatInBit12) {
    ASSERT_TRUE(
        space_.map(v_, PhysAddr{0x4000'0000}, k2M, PageFlags::None, CacheType::WriteCombining));
    auto m = space_.translate(v_);
    ASSERT_TRUE(m);
    EXPECT_EQ(m->size, PageSize::Size2M);
    EXPECT_TRUE(m->leaf.raw() & PTE_PAT_LARGE);
    EXPECT_TRUE(m->leaf.raw() & PTE_HUGE);
    EXPECT_EQ(m->phys, PhysAddr{0x4000'0000});  // bit 12 is not part of the address
    EXPECT_EQ(m->cache, CacheType::WriteCombining);
}

TEST_F(AddressSpaceTest, MapOverAnyMappedPageFailsAndChangesNothing) {
    ASSERT_TRUE(space_.map(v_ + 2 * k4K, p_, k4K, PageFlags::Writable, CacheType::WriteBack));
    const usize tables = tables_.count();
    EXPECT_EQ(space_.map(v_, p_, 4 * k4K, PageFlags::None, CacheType::Uncached).error(),
              VmError::AlreadyMapped);
    EXPECT_EQ(space_.translate(v_).error(), VmError::NotMapped);
    EXPECT_EQ(space_.translate(v_ + 2 * k4K)->cache, CacheType::WriteBack);
    EXPECT_EQ(tables_.count(), tables);
}

TEST_F(AddressSpaceTest, UnmapNeedsEveryPageMappedAndInvalidatesOnce) {
    ASSERT_TRUE(space_.map(v_, p_, 2 * k4K, PageFlags::Writable, CacheType::WriteBack));
    EXPECT_EQ(space_.unmap(v_, 3 * k4K).error(), VmError::NotMapped);
    EXPECT_TRUE(space_.translate(v_ + k4K));  // nothing changed
    EXPECT_TRUE(tlb_.ranges.empty());
    ASSERT_TRUE(space_.unmap(v_, 2 * k4K));
    EXPECT_EQ(space_.translate(v_).error(), VmError::NotMapped);
    ASSERT_EQ(tlb_.ranges.size(), 1u);
    EXPECT_EQ(tlb_.ranges[0].base(), v_);
    EXPECT_GE(tlb_.ranges[0].end().value(), v_.value() + k4K + 1);
    EXPECT_EQ(space_.unmap(v_, k4K).error(), VmError::NotMapped);
}

TEST_F(AddressSpaceTest, ProtectChangesPermissionsAndCacheAndInvalidates) {
    ASSERT_TRUE(space_.map(v_, p_, 2 * k4K, PageFlags::Writable, CacheType::WriteBack));
    ASSERT_TRUE(space_.protect(v_, 2 * k4K, PageFlags::None, CacheType::Uncached));
    auto m = space_.translate(v_ + k4K);
    ASSERT_TRUE(m);
    EXPECT_EQ(m->access, PageFlags::None);
    EXPECT_EQ(m->cache, CacheType::Uncached);
    EXPECT_EQ(m->phys, p_ + k4K);
    ASSERT_EQ(tlb_.ranges.size(), 1u);
    EXPECT_EQ(space_.protect(v_, 3 * k4K, PageFlags::Writable, CacheType::WriteBack).error(),
              VmError::NotMapped);
    EXPECT_EQ(space_.translate(v_)->cache, CacheType::Uncached);  // unchanged
}

TEST_F(AddressSpaceTest, LargePagesAreNeverSplit) {
    ASSERT_TRUE(
        space_.map(v_, PhysAddr{0x4000'0000}, k2M, PageFlags::Writable, CacheType::WriteBack));
    EXPECT_EQ(space_.unmap(v_, k4K).error(), VmError::PartialLargePage);
    EXPECT_EQ(space_.protect(v_ + k4K, k4K, PageFlags::None, CacheType::WriteBack).error(),
              VmError::PartialLargePage);
    ASSERT_TRUE(space_.unmap(v_, k2M));
}

TEST_F(AddressSpaceTest, OutOfMemoryUndoesWhatWasMapped) {
    // The first 2 MiB of the range gets its tables, the next one cannot.
    tables_.set_limit(tables_.count() + 3);
    const VirtAddr v{kBase + k2M - 2 * k4K};  // straddles two page tables
    EXPECT_EQ(space_.map(v, p_, 4 * k4K, PageFlags::Writable, CacheType::WriteBack).error(),
              VmError::OutOfMemory);
    for (u64 i = 0; i < 4; ++i)
        EXPECT_EQ(space_.translate(v + i * k4K).error(), VmError::NotMapped) << i;
}

TEST_F(AddressSpaceTest, RejectsBadArguments) {
    EXPECT_EQ(space_.map(v_ + 1, p_, k4K, PageFlags::None, CacheType::WriteBack).error(),
              VmError::Misaligned);
    EXPECT_EQ(space_.map(v_, p_, 0, PageFlags::None, CacheType::WriteBack).error(),
              VmError::Misaligned);
    EXPECT_EQ(
        space_
            .map(VirtAddr{0x0000'8000'0000'0000ULL}, p_, k4K, PageFlags::None, CacheType::WriteBack)
            .error(),
        VmError::NonCanonical);
    EXPECT_EQ(space_.map(v_, p_, k4K, PageFlags::CacheDisable, CacheType::WriteBack).error(),
              VmError::BadPermissions);
    EXPECT_EQ(
        space_.map(v_, PhysAddr{1ULL << 52}, k4K, PageFlags::None, CacheType::WriteBack).error(),
        VmError::PhysOutOfRange);
}

}  // namespace
}  // namespace arch::paging
