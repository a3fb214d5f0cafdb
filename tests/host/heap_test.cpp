// kernel::mm::Heap (src/kernel/mm/heap.hpp) on pages of a real
// BuddyAllocator over a host arena (kernel/mm/frame_pages.hpp): classes,
// alignment, large blocks, statistics, running out, the debug checks, and a
// model of random allocations.
#include "kernel/mm/heap.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cstring>
#include <map>
#include <memory>
#include <random>
#include <set>
#include <vector>

#include "heap_errors.hpp"
#include "kernel/mm/frame_pages.hpp"
#include "phys_arena.hpp"

namespace kernel::mm {
namespace {

constexpr u64 kMiB = 1ULL << 20;

using keel_test::HeapErrors;

struct HeapTest : testing::Test {
    static constexpr u64 kRam = 64 * kMiB;
    keel_test::PhysArena arena{kRam};
    std::unique_ptr<BuddyAllocator> frames = std::make_unique<BuddyAllocator>();
    std::unique_ptr<FramePages<>> pages;
    Heap heap;
    HeapErrors errors;

    void SetUp() override { start(kRam); }
    void start(u64 ram_end) {
        const PhysRange free{PhysAddr{2 * kMiB}, PhysAddr{ram_end}};
        ASSERT_TRUE(frames->init({&free, 1}, {arena.window(), &HeapErrors::frame, nullptr}).ok());
        pages = std::make_unique<FramePages<>>(*frames, arena.window());
        heap.init(*pages, &HeapErrors::record, &errors);
    }
};

TEST_F(HeapTest, SmallRequestsUseTheSmallestClass) {
    EXPECT_EQ(Heap::class_for(0), 0u);
    EXPECT_EQ(Heap::class_for(16), 0u);
    EXPECT_EQ(Heap::class_for(17), 1u);
    EXPECT_EQ(Heap::class_for(100), 5u);  // 128
    EXPECT_EQ(Heap::class_for(2048), 13u);
    EXPECT_EQ(Heap::class_for(3072), 14u);
    EXPECT_EQ(Heap::class_for(3073), kHeapClassCount);
    for (usize size = 0; size <= kHeapMaxSmall; ++size) {
        const usize c = Heap::class_for(size);
        ASSERT_GE(kHeapClassSizes[c], size);
        if (c > 0) {
            ASSERT_LT(kHeapClassSizes[c - 1], size);
        }
    }
}

TEST_F(HeapTest, BlocksHoldWhatWasAskedAndAreAligned) {
    std::vector<std::pair<u8*, usize>> blocks;
    for (usize align = 1; align <= kHeapMaxAlign; align *= 2) {
        for (usize size : {0, 1, 15, 16, 24, 33, 100, 700, 2048, 3000, 4096, 5000, 70000}) {
            auto* p = static_cast<u8*>(heap.allocate(size, align));
            ASSERT_NE(p, nullptr);
            EXPECT_EQ(reinterpret_cast<uptr>(p) % (align < 16 ? 16 : align), 0u)
                << size << " " << align;
            EXPECT_GE(heap.usable_size(p), size);
            std::memset(p, static_cast<int>(blocks.size()), size);
            blocks.emplace_back(p, size);
        }
    }
    for (usize i = 0; i < blocks.size(); ++i) {
        for (usize j = 0; j < blocks[i].second; ++j)
            ASSERT_EQ(blocks[i].first[j], static_cast<u8>(i)) << "block " << i << " overwritten";
        heap.free(blocks[i].first);
    }
    EXPECT_EQ(heap.stats().bytes_in_use, 0u);
    EXPECT_TRUE(errors.seen.empty());
    // Not a power of two, or above a page: refused, not misaligned.
    EXPECT_EQ(heap.allocate(16, 48), nullptr);
    EXPECT_EQ(heap.allocate(16, 8192), nullptr);
    EXPECT_EQ(heap.allocate(16, 0), nullptr);
    heap.free(nullptr);
}

TEST_F(HeapTest, StatisticsCountClassesLargeBlocksAndTheHighWaterMark) {
    const u64 frames_before = frames->free_frames();
    void* a = heap.allocate(10);
    void* b = heap.allocate(10);
    void* c = heap.allocate(200);
    void* big = heap.allocate(20000);
    const HeapStats& s = heap.stats();
    const usize class_a = Heap::class_for(kDebugAlloc ? 10 + 16 + 8 : 10);
    const usize class_c = Heap::class_for(kDebugAlloc ? 200 + 16 + 8 : 200);
    EXPECT_EQ(s.classes[class_a].blocks_in_use, 2u);
    EXPECT_EQ(s.classes[class_a].slabs, 1u);
    EXPECT_EQ(s.classes[class_c].blocks_in_use, 1u);
    EXPECT_EQ(s.large_blocks, 1u);
    EXPECT_EQ(s.large_bytes, 32768u);  // 20000 bytes and the header: 8 pages
    const u64 in_use = 2 * kHeapClassSizes[class_a] + kHeapClassSizes[class_c] + 32768;
    EXPECT_EQ(s.bytes_in_use, in_use);
    EXPECT_EQ(s.pages_held, 4u + 4u + 8u);
    EXPECT_EQ(frames->free_frames(), frames_before - s.pages_held);
    heap.free(big);
    heap.free(a);
    EXPECT_EQ(s.bytes_in_use, in_use - 32768 - kHeapClassSizes[class_a]);
    EXPECT_EQ(s.high_water, in_use);
    heap.free(b);
    heap.free(c);
    EXPECT_EQ(s.bytes_in_use, 0u);
    EXPECT_EQ(s.large_blocks, 0u);
    // One empty slab per class stays for the next allocation.
    EXPECT_EQ(s.pages_held, 8u);
    EXPECT_EQ(frames->free_frames(), frames_before - 8);
}

TEST_F(HeapTest, EmptySlabsBeyondAFewPerClassGoBack) {
    const u64 frames_before = frames->free_frames();
    std::vector<void*> blocks;
    for (int i = 0; i < 5000; ++i) blocks.push_back(heap.allocate(64));
    EXPECT_GT(heap.stats().classes[Heap::class_for(kDebugAlloc ? 88 : 64)].slabs, 10u);
    for (void* p : blocks) heap.free(p);
    constexpr u64 kKept = u64{kKeptEmptySlabs} << kHeapChunkOrder;  // pages
    EXPECT_EQ(heap.stats().pages_held, kKept);
    EXPECT_EQ(frames->free_frames(), frames_before - kKept);
}

// The per-CPU caches' refill: take_slabs() hands over whole slab free lists,
// joined at their tails. A fresh slab goes whole; blocks given back to a slab
// (in runs, in any order) come back as exactly that slab's list.
TEST_F(HeapTest, TakeSlabsHandsOverWholeFreeLists) {
    const usize c = Heap::class_for(64);
    const usize per_slab = (kHeapChunkBytes - heap_layout::kHeaderBytes) / 64;
    auto collect = [](void* chain) {
        std::vector<u8*> blocks;
        for (void* b = chain; b != nullptr; std::memcpy(&b, b, sizeof b))
            blocks.push_back(static_cast<u8*>(b));
        return blocks;
    };
    usize got = 0;
    const std::vector<u8*> first = collect(heap.take_slabs(c, 16, got));
    EXPECT_EQ(got, per_slab);  // a new slab, all of it
    ASSERT_EQ(first.size(), got);
    EXPECT_EQ(heap.stats().classes[c].blocks_in_use, per_slab);
    EXPECT_EQ(heap.stats().classes[c].slabs, 1u);
    // Every other block back, as one chain: runs of one block each.
    std::vector<u8*> back;
    for (usize i = 0; i < first.size(); i += 2) back.push_back(first[i]);
    for (usize i = 0; i + 1 < back.size(); ++i) std::memcpy(back[i], &back[i + 1], sizeof(void*));
    heap.give(c, back.front(), back.size());
    EXPECT_EQ(heap.stats().classes[c].blocks_in_use, per_slab - back.size());
    // The slab's list is exactly those blocks, whole, though fewer than asked.
    std::vector<u8*> again = collect(heap.take_slabs(c, 1, got));
    EXPECT_EQ(got, back.size());
    std::sort(again.begin(), again.end());
    std::sort(back.begin(), back.end());
    EXPECT_EQ(again, back);
    // More than a slab holds: two new slabs' lists joined, null-terminated.
    const std::vector<u8*> two = collect(heap.take_slabs(c, per_slab + 1, got));
    EXPECT_EQ(got, 2 * per_slab);
    EXPECT_EQ(two.size(), got);
    EXPECT_EQ(heap.stats().classes[c].slabs, 3u);
    EXPECT_TRUE(errors.seen.empty());
}

// Random refills and random give-backs (chains in any order, across slabs)
// against a model: no block is handed over twice, every chain is as long as
// take_slabs() says, the counts match, and all of it goes back.
TEST_F(HeapTest, TakeSlabsAndGiveMatchAModel) {
    std::mt19937_64 rng(11);
    const u64 frames_before = frames->free_frames();
    for (usize c : {usize{0}, Heap::class_for(64), Heap::class_for(192), kHeapClassCount - 1}) {
        std::vector<u8*> held;
        std::set<u8*> seen;
        for (int step = 0; step < 400; ++step) {
            if (held.empty() || rng() % 2 == 0) {
                usize got = 0;
                void* chain = heap.take_slabs(c, 1 + rng() % 300, got);
                usize length = 0;
                for (void* b = chain; b != nullptr; std::memcpy(&b, b, sizeof b), ++length) {
                    ASSERT_TRUE(seen.insert(static_cast<u8*>(b)).second) << "handed over twice";
                    held.push_back(static_cast<u8*>(b));
                }
                ASSERT_EQ(length, got);
            } else {
                std::shuffle(held.begin(), held.end(), rng);
                // Sorted sometimes, so that long runs of one slab happen too.
                const usize n = 1 + rng() % held.size();
                if (rng() % 2 == 0) std::sort(held.end() - static_cast<long>(n), held.end());
                u8* chain = nullptr;
                for (usize i = 0; i < n; ++i) {
                    u8* b = held.back();
                    held.pop_back();
                    seen.erase(b);
                    std::memcpy(b, &chain, sizeof chain);
                    chain = b;
                }
                heap.give(c, chain, n);
            }
            ASSERT_EQ(heap.stats().classes[c].blocks_in_use, held.size());
            ASSERT_EQ(frames->free_frames(), frames_before - heap.stats().pages_held);
        }
        u8* chain = nullptr;
        for (u8* b : held) {
            std::memcpy(b, &chain, sizeof chain);
            chain = b;
        }
        heap.give(c, chain, held.size());
        EXPECT_EQ(heap.stats().classes[c].blocks_in_use, 0u);
        EXPECT_LE(heap.stats().classes[c].slabs, kKeptEmptySlabs);
    }
    EXPECT_EQ(heap.stats().bytes_in_use, 0u);
    EXPECT_TRUE(errors.seen.empty());
}

TEST_F(HeapTest, RunningOutGivesNull) {
    start(2 * kMiB + 256 * 1024);  // 64 frames, one for the bookkeeping
    std::vector<void*> blocks;
    while (void* p = heap.allocate(1000)) blocks.push_back(p);
    EXPECT_FALSE(blocks.empty());
    EXPECT_EQ(heap.allocate(100000), nullptr);
    EXPECT_LT(frames->free_frames(), 4u);
    for (void* p : blocks) heap.free(p);
    EXPECT_NE(heap.allocate(1000), nullptr);
    EXPECT_TRUE(errors.seen.empty());
}

// The debug checks (kDebugAlloc: the host tests build without NDEBUG).
struct HeapDebug : HeapTest {
    void SetUp() override {
        if (!kDebugAlloc) GTEST_SKIP() << "the heap's debug checks are off in this build (NDEBUG)";
        HeapTest::SetUp();
    }
};

TEST_F(HeapDebug, WriteOnePastTheEndIsAnOverflow) {
    auto* p = static_cast<u8*>(heap.allocate(24));
    p[24] = 1;
    heap.free(p);
    ASSERT_EQ(errors.seen.size(), 1u);
    EXPECT_EQ(errors.seen[0].kind, HeapErrorKind::Overflow);
    EXPECT_EQ(errors.seen[0].block, p);
    EXPECT_EQ(errors.seen[0].size, 24u);
    EXPECT_EQ(errors.seen[0].offset, 24);
    EXPECT_EQ(describe(errors.seen[0].kind), ktl::string_view("heap-overflow"));
    // Before the start, and in a large block.
    p = static_cast<u8*>(heap.allocate(40));
    p[-1] = 0;
    heap.free(p);
    ASSERT_EQ(errors.seen.size(), 2u);
    EXPECT_EQ(errors.seen[1].offset, -1);
    p = static_cast<u8*>(heap.allocate(10000));
    p[10003] = 0;
    heap.free(p);
    ASSERT_EQ(errors.seen.size(), 3u);
    EXPECT_EQ(errors.seen[2].kind, HeapErrorKind::Overflow);
    EXPECT_EQ(errors.seen[2].offset, 10003);
    // Inside the block is fine.
    p = static_cast<u8*>(heap.allocate(24));
    std::memset(p, 0xCB ^ 0xFF, 24);
    heap.free(p);
    EXPECT_EQ(errors.seen.size(), 3u);
}

TEST_F(HeapDebug, DoubleFreeIsReportedAndIgnored) {
    void* p = heap.allocate(100);
    void* keep = heap.allocate(100);
    heap.free(p);
    const HeapStats before = heap.stats();
    heap.free(p);
    ASSERT_EQ(errors.seen.size(), 1u);
    EXPECT_EQ(errors.seen[0].kind, HeapErrorKind::DoubleFree);
    EXPECT_EQ(errors.seen[0].block, p);
    EXPECT_NE(errors.seen[0].caller, nullptr);
    EXPECT_EQ(heap.stats().bytes_in_use, before.bytes_in_use);
    // The list is intact: two allocations give two different blocks.
    void* x = heap.allocate(100);
    void* y = heap.allocate(100);
    EXPECT_NE(x, y);
    EXPECT_EQ(errors.seen.size(), 1u);
    heap.free(keep);
    heap.free(x);
    heap.free(y);
    // A large block freed twice: its pages went back to the frame
    // allocator, which poisoned them (debug), so the heap no longer knows
    // the chunk and says so rather than freeing anything.
    void* big = heap.allocate(50000);
    heap.free(big);
    const u64 free_frames = frames->free_frames();
    heap.free(big);
    ASSERT_EQ(errors.seen.size(), 2u);
    EXPECT_EQ(errors.seen[1].kind, HeapErrorKind::InvalidFree);
    EXPECT_EQ(errors.seen[1].block, big);
    EXPECT_EQ(frames->free_frames(), free_frames);
}

TEST_F(HeapDebug, WriteToAFreedBlockIsFoundAtTheNextAllocation) {
    auto* p = static_cast<u8*>(heap.allocate(48));
    heap.free(p);
    p[20] = 0x42;                     // after the free
    void* again = heap.allocate(48);  // the same class: the same block, LIFO
    ASSERT_EQ(errors.seen.size(), 1u);
    EXPECT_EQ(errors.seen[0].kind, HeapErrorKind::UseAfterFree);
    EXPECT_EQ(static_cast<const u8*>(errors.seen[0].block) + errors.seen[0].offset, p + 20);
    EXPECT_EQ(again, p);
    heap.free(again);
    EXPECT_EQ(errors.seen.size(), 1u);
}

TEST_F(HeapDebug, FreeOfAnythingElseIsInvalid) {
    auto* p = static_cast<u8*>(heap.allocate(64));
    heap.free(p + 8);  // inside a block
    auto* big = static_cast<u8*>(heap.allocate(9000));
    heap.free(big + 64);  // inside a large block
    ASSERT_EQ(errors.seen.size(), 2u);
    EXPECT_EQ(errors.seen[0].kind, HeapErrorKind::InvalidFree);
    EXPECT_EQ(errors.seen[1].kind, HeapErrorKind::InvalidFree);
    heap.free(p);
    heap.free(big);
    EXPECT_EQ(errors.seen.size(), 2u);
    EXPECT_EQ(heap.stats().bytes_in_use, 0u);
}

// Random sizes and alignments against a model: every block keeps its own
// pattern (no overlap), stays aligned, and the statistics match exactly.
TEST_F(HeapTest, MatchesAReferenceModel) {
    struct Live {
        usize size;
        u8 fill;
    };
    std::map<u8*, Live> live;  // by address: neighbours must not overlap
    std::vector<u8*> picks;    // the same blocks, to free one at random in O(1)
    std::mt19937_64 rng(5);
    const u64 frames_before = frames->free_frames();
    for (int step = 0; step < 100000; ++step) {
        if (live.empty() || rng() % 100 < 52) {
            const usize size = rng() % 8 == 0 ? rng() % 20000 : rng() % 300;
            const usize align = usize{1} << (rng() % 8 == 0 ? rng() % 13 : 4);
            auto* p = static_cast<u8*>(heap.allocate(size, align));
            if (p == nullptr) continue;
            ASSERT_EQ(reinterpret_cast<uptr>(p) % align, 0u);
            const u8 fill = static_cast<u8>(rng());
            std::memset(p, fill, size);
            auto next = live.lower_bound(p);
            if (next != live.end()) {
                ASSERT_LE(p + size, next->first);
            }
            if (next != live.begin()) {
                auto prev = std::prev(next);
                ASSERT_LE(prev->first + prev->second.size, p);
            }
            live[p] = {size, fill};
            picks.push_back(p);
        } else {
            const usize pick = rng() % picks.size();
            auto it = live.find(picks[pick]);
            picks[pick] = picks.back();
            picks.pop_back();
            // One comparison per block, not a GoogleTest macro per byte.
            const u8* begin = it->first;
            const u8* end = begin + it->second.size;
            const u8 fill = it->second.fill;
            const u8* wrong = std::find_if(begin, end, [fill](u8 b) { return b != fill; });
            ASSERT_EQ(wrong, end) << "block overwritten at byte " << (wrong - begin) << " at step "
                                  << step;
            heap.free(it->first);
            live.erase(it);
        }
        const HeapStats& s = heap.stats();
        u64 small = 0;
        for (const HeapClassStats& c : s.classes) small += c.blocks_in_use * c.size;
        ASSERT_EQ(s.bytes_in_use, small + s.large_bytes);
        ASSERT_EQ(frames->free_frames(), frames_before - s.pages_held);
    }
    for (auto& [p, l] : live) heap.free(p);
    EXPECT_EQ(heap.stats().bytes_in_use, 0u);
    EXPECT_LE(heap.stats().pages_held,
              (usize{kKeptEmptySlabs} << kHeapChunkOrder) * kHeapClassCount);
    EXPECT_TRUE(errors.seen.empty());
}

}  // namespace
}  // namespace kernel::mm
