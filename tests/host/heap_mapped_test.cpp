// The heap's large blocks of mapped pages (kernel/mm/heap_large.cpp): what
// no buddy block can hold (past the largest order, or memory too fragmented)
// comes from PageProvider::map_pages. The provider here maps real host pages
// in a reserved area and takes them away again (PROT_NONE), so a heap that
// read a freed block's header would crash the test, not pass it.
#include <sys/mman.h>

#include <gtest/gtest.h>

#include <cstring>
#include <map>
#include <memory>

#include "heap_errors.hpp"
#include "kernel/mm/frame_pages.hpp"
#include "kernel/mm/heap.hpp"
#include "phys_arena.hpp"

namespace kernel::mm {
namespace {

constexpr u64 kMiB = 1ULL << 20;

// A buddy allocator over 64 MiB (largest block 4 MiB), and a 1 GiB area of
// mappings handed out by a bump pointer.
class MappingPages final : public PageProvider {
public:
    MappingPages(BuddyAllocator& frames, PhysicalWindow window) : frames_(frames, window) {
        void* p = mmap(nullptr, kAreaBytes, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE,
                       -1, 0);
        EXPECT_NE(p, MAP_FAILED);
        base_ = static_cast<u8*>(p);
        next_ = base_;
    }
    ~MappingPages() { munmap(base_, kAreaBytes); }
    MappingPages(const MappingPages&) = delete;
    MappingPages& operator=(const MappingPages&) = delete;

    void* allocate_pages(u32 order) override {
        return no_chunks ? nullptr : frames_.allocate_pages(order);
    }
    void free_pages(void* pages, u32 order) override { frames_.free_pages(pages, order); }
    void* map_pages(usize count) override {
        const usize bytes =
            (count * 4096 + kHeapChunkBytes - 1) / kHeapChunkBytes * kHeapChunkBytes;
        if (next_ + bytes + kHeapChunkBytes > base_ + kAreaBytes) return nullptr;
        u8* at = next_;
        next_ += bytes + kHeapChunkBytes;  // and a guard
        EXPECT_EQ(mprotect(at, count * 4096, PROT_READ | PROT_WRITE), 0);
        live[at] = count;
        return at;
    }
    void unmap_pages(void* pages, usize count) override {
        auto* at = static_cast<u8*>(pages);
        EXPECT_EQ(live.count(at), 1u);
        EXPECT_EQ(live[at], count);
        live.erase(at);
        EXPECT_EQ(mprotect(at, count * 4096, PROT_NONE), 0);
    }
    bool is_mapped(const void* at) override {
        for (const auto& [base, count] : live)
            if (at >= base && at < base + count * 4096) return true;
        return false;
    }
    Area mapped_area() const override {
        return {reinterpret_cast<uptr>(base_), reinterpret_cast<uptr>(base_) + kAreaBytes};
    }

    bool no_chunks = false;  // every allocate_pages() fails: memory "fragmented"
    std::map<u8*, usize> live;

private:
    static constexpr usize kAreaBytes = usize{1} << 30;
    FramePages<> frames_;
    u8* base_;
    u8* next_;
};

using Errors = keel_test::HeapErrors;

struct HeapMapped : testing::Test {
    keel_test::PhysArena arena{64 * kMiB};
    std::unique_ptr<BuddyAllocator> frames = std::make_unique<BuddyAllocator>();
    std::unique_ptr<MappingPages> pages;
    Heap heap;
    Errors errors;

    void SetUp() override {
        const PhysRange free{PhysAddr{2 * kMiB}, PhysAddr{64 * kMiB}};
        ASSERT_TRUE(frames->init({&free, 1}, {arena.window(), &Errors::frame, nullptr}).ok());
        pages = std::make_unique<MappingPages>(*frames, arena.window());
        heap.init(*pages, &Errors::record, &errors);
    }
    [[nodiscard]] bool in_area(const void* p) const { return pages->mapped_area().contains(p); }
};

TEST_F(HeapMapped, ABlockPastTheLargestBuddyBlockIsMappedPages) {
    const usize size = 6 * kMiB;  // the buddy's largest block is 4 MiB
    auto* p = static_cast<u8*>(heap.allocate(size, 64));
    ASSERT_NE(p, nullptr);
    EXPECT_TRUE(in_area(p));
    EXPECT_EQ(reinterpret_cast<uptr>(p) % 64, 0u);
    EXPECT_GE(Heap::usable_size(p), size);
    std::memset(p, 0x5a, size);
    ASSERT_EQ(pages->live.size(), 1u);
    const usize mapped = pages->live.begin()->second;
    EXPECT_GE(mapped * 4096, size);
    EXPECT_LT(mapped * 4096, size + 2 * 4096);  // whole pages, not a power of two
    EXPECT_EQ(heap.stats().large_blocks, 1u);
    EXPECT_EQ(heap.stats().pages_held, mapped);
    EXPECT_EQ(heap.stats().bytes_in_use, mapped * 4096);
    heap.free(p);
    EXPECT_TRUE(pages->live.empty());
    EXPECT_EQ(heap.stats().large_blocks, 0u);
    EXPECT_EQ(heap.stats().pages_held, 0u);
    EXPECT_EQ(heap.stats().bytes_in_use, 0u);
    EXPECT_TRUE(errors.seen.empty());
}

TEST_F(HeapMapped, FragmentedMemoryStillGivesLargeBlocks) {
    pages->no_chunks = true;
    auto* p = static_cast<u8*>(heap.allocate(20000));
    ASSERT_NE(p, nullptr);
    EXPECT_TRUE(in_area(p));
    std::memset(p, 1, 20000);
    heap.free(p);
    EXPECT_TRUE(pages->live.empty());
    // Small blocks need a chunk: none.
    EXPECT_EQ(heap.allocate(100), nullptr);
}

TEST_F(HeapMapped, ASecondFreeIsADoubleFreeWithoutTouchingTheGonePages) {
    void* p = heap.allocate(5 * kMiB);
    ASSERT_NE(p, nullptr);
    heap.free(p);
    heap.free(p);  // its pages are PROT_NONE now: reading the header would crash
    ASSERT_EQ(errors.seen.size(), 1u);
    EXPECT_EQ(errors.seen[0].kind, HeapErrorKind::DoubleFree);
    EXPECT_EQ(errors.seen[0].block, p);
}

TEST_F(HeapMapped, AnOverflowIntoTheRedZoneIsReported) {
    if (!kDebugAlloc) GTEST_SKIP() << "the heap's debug checks are off in this build (NDEBUG)";
    const usize size = 5 * kMiB;
    auto* p = static_cast<u8*>(heap.allocate(size));
    ASSERT_NE(p, nullptr);
    p[size] = 0;
    heap.free(p);
    ASSERT_EQ(errors.seen.size(), 1u);
    EXPECT_EQ(errors.seen[0].kind, HeapErrorKind::Overflow);
    EXPECT_EQ(errors.seen[0].offset, static_cast<isize>(size));
    EXPECT_TRUE(pages->live.empty());
}

TEST_F(HeapMapped, NoRoomToMapGivesNull) {
    EXPECT_EQ(heap.allocate(usize{2} << 30), nullptr);  // past the 1 GiB area
    EXPECT_TRUE(pages->live.empty());
    EXPECT_EQ(heap.stats().large_blocks, 0u);
}

}  // namespace
}  // namespace kernel::mm
