// kernel::mm::CachedHeap (src/kernel/mm/heap_cache.hpp), the heap's per-CPU
// magazines, over a real Heap on a BuddyAllocator in a host arena: each
// thread is a CPU (a thread_local slot). What stays in the magazines, what
// the statistics say about it, draining, the debug checks through a
// magazine, and several threads at once (ASan, UBSan).
#include "kernel/mm/heap_cache.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <cstring>
#include <memory>
#include <mutex>
#include <random>
#include <thread>
#include <vector>

#include "kernel/mm/frame_pages.hpp"
#include "kernel/mm/heap_depot.hpp"
#include "phys_arena.hpp"

namespace kernel::mm {
namespace {

constexpr u64 kMiB = 1ULL << 20;

// Each test thread says which CPU it is; no interrupts on the host.
struct TestCpu {
    static constexpr u32 kMaxCpus = 8;
    struct InterruptGuard {};
    static inline thread_local u32 slot = 0;
    static inline HeapCpuCache caches[kMaxCpus];  // emptied by each heap's init()
    static u32 cpu_index() { return slot; }
    static u32 cpu_count() { return kMaxCpus; }
    static HeapCpuCache& cache(u32 cpu) { return caches[cpu]; }
};

using TestHeap = CachedHeap<TestCpu, std::mutex>;

struct Errors {
    std::mutex lock;
    std::vector<HeapError> seen;
    static void record(const HeapError& e, void* self) {
        auto* errors = static_cast<Errors*>(self);
        const std::lock_guard<std::mutex> guard(errors->lock);
        errors->seen.push_back(e);
    }
    static void frame(const FrameError&, void*) { ADD_FAILURE() << "frame error"; }
};

struct HeapCacheTest : testing::Test {
    static constexpr u64 kRam = 64 * kMiB;
    keel_test::PhysArena arena{kRam};
    std::unique_ptr<BuddyAllocator> frames = std::make_unique<BuddyAllocator>();
    std::unique_ptr<FramePages<>> pages;
    std::unique_ptr<TestHeap> heap = std::make_unique<TestHeap>();
    Errors errors;
    u64 frames_at_start = 0;

    void SetUp() override {
        TestCpu::slot = 0;
        const PhysRange free{PhysAddr{2 * kMiB}, PhysAddr{kRam}};
        ASSERT_TRUE(frames->init({&free, 1}, {arena.window(), &Errors::frame, nullptr}).ok());
        pages = std::make_unique<FramePages<>>(*frames, arena.window());
        heap->init(*pages, &Errors::record, &errors);
        frames_at_start = frames->free_frames();
    }
    HeapStats core_stats() {
        return heap->core().with([](Heap& h) { return h.stats(); });
    }
};

TEST_F(HeapCacheTest, PairsStayInTheMagazine) {
    const usize c = Heap::class_for(64 + 16 + 8);  // the debug layout's class for 64 B
    void* first = heap->allocate(64);
    ASSERT_NE(first, nullptr);
    // The refill took a new slab's whole free list at once.
    const u64 taken = core_stats().classes[c].blocks_in_use;
    EXPECT_EQ(taken, (kHeapChunkBytes - heap_layout::kHeaderBytes) / kHeapClassSizes[c]);
    EXPECT_GE(taken, refill_want(c));
    heap->free(first);
    for (int i = 0; i < 1000; ++i) {
        void* p = heap->allocate(64);
        ASSERT_NE(p, nullptr);
        heap->free(p);
    }
    // The core never saw these: no block came or went since the refill.
    EXPECT_EQ(core_stats().classes[c].blocks_in_use, taken);
    EXPECT_EQ(heap->stats().bytes_in_use, 0u);
    EXPECT_EQ(heap->stats().classes[c].blocks_in_use, 0u);
    EXPECT_EQ(heap->cached_bytes(), taken * kHeapClassSizes[c]);
    EXPECT_TRUE(errors.seen.empty());
}

// What a class caches is bounded: the magazine, the stock and the depot's
// chains, however many blocks went through.
TEST_F(HeapCacheTest, WhatAClassCachesIsBounded) {
    for (usize size : {16, 100, 500, 1000, 2900}) {
        SmallRequest r{};
        ASSERT_TRUE(Heap::small_request(size, 16, r));
        const u64 bound = (u64{magazine_capacity(r.index)} + max_stock_blocks(r.index) +
                           HeapDepot::max_blocks(r.index)) *
                          kHeapClassSizes[r.index];
        std::vector<void*> blocks;
        for (int i = 0; i < 5000; ++i) blocks.push_back(heap->allocate(size));
        for (void* p : blocks) heap->free(p);
        EXPECT_LE(heap->cached_bytes(), bound) << size;
        EXPECT_LE(heap->cached_bytes(),
                  kMaxCachedBytes + HeapDepot::max_blocks(r.index) * kHeapClassSizes[r.index]);
        // The rest went back to the slabs.
        EXPECT_EQ(core_stats().classes[r.index].blocks_in_use * kHeapClassSizes[r.index],
                  heap->cached_bytes())
            << size;
        EXPECT_EQ(heap->stats().bytes_in_use, 0u);
        heap->drain_this_cpu();
    }
}

// A queue filled and drained (the benchmark's producer/consumer): once it
// has run once, its blocks go round through the magazines, the stock and
// the depot, whole magazines at a time, and never back to the slabs.
TEST_F(HeapCacheTest, AQueueGoesRoundThroughTheDepot) {
    const usize c = Heap::class_for(64 + 16 + 8);
    std::vector<void*> queue(600);
    for (void*& p : queue) p = heap->allocate(64);
    for (void* p : queue) heap->free(p);
    const u64 warm = core_stats().classes[c].blocks_in_use;
    ASSERT_GE(warm, queue.size());  // the depot and this CPU hold them
    for (int round = 0; round < 20; ++round) {
        // The slabs see no block come or go, full queue or empty.
        for (void*& p : queue) p = heap->allocate(64);
        ASSERT_EQ(core_stats().classes[c].blocks_in_use, warm);
        for (void* p : queue) heap->free(p);
        ASSERT_EQ(core_stats().classes[c].blocks_in_use, warm);
    }
    EXPECT_EQ(heap->stats().classes[c].blocks_in_use, 0u);
    heap->drain_this_cpu();
    EXPECT_EQ(core_stats().classes[c].blocks_in_use, 0u);
    EXPECT_TRUE(errors.seen.empty());
}

TEST_F(HeapCacheTest, DrainGivesEverythingBack) {
    std::vector<void*> blocks;
    for (int i = 0; i < 500; ++i) blocks.push_back(heap->allocate(16 + i % 300));
    for (void* p : blocks) heap->free(p);
    EXPECT_GT(heap->cached_bytes(), 0u);
    heap->drain_this_cpu();
    EXPECT_EQ(heap->cached_bytes(), 0u);
    const HeapStats core = core_stats();
    EXPECT_EQ(core.bytes_in_use, 0u);
    // Only the few empty slabs each class keeps are still held.
    u64 slabs = 0;
    for (const HeapClassStats& s : core.classes) {
        EXPECT_EQ(s.blocks_in_use, 0u);
        EXPECT_LE(s.slabs, kKeptEmptySlabs);
        slabs += s.slabs;
    }
    EXPECT_EQ(core.pages_held, slabs << kHeapChunkOrder);
    EXPECT_EQ(frames->free_frames() + core.pages_held, frames_at_start);
}

TEST_F(HeapCacheTest, LargeAndAlignedBlocksBypassTheMagazines) {
    void* large = heap->allocate(10000);
    void* aligned = heap->allocate(100, 256);
    ASSERT_NE(large, nullptr);
    ASSERT_NE(aligned, nullptr);
    EXPECT_EQ(reinterpret_cast<uptr>(aligned) % 256, 0u);
    heap->free(large);
    heap->free(aligned);
    EXPECT_EQ(heap->cached_bytes(), 0u);
    EXPECT_EQ(core_stats().bytes_in_use, 0u);
}

TEST_F(HeapCacheTest, DoubleFreeIsCaughtWhenTheFirstFreeWasCached) {
    if (!kDebugAlloc) GTEST_SKIP() << "release build: no debug checks";
    void* p = heap->allocate(40);
    heap->free(p);
    ASSERT_GT(heap->cached_bytes(), 0u);  // the first free stayed on this CPU
    heap->free(p);
    ASSERT_EQ(errors.seen.size(), 1u);
    EXPECT_EQ(errors.seen[0].kind, HeapErrorKind::DoubleFree);
    EXPECT_EQ(errors.seen[0].block, p);
    // Also from another CPU than the one whose magazine holds it.
    TestCpu::slot = 1;
    heap->free(p);
    ASSERT_EQ(errors.seen.size(), 2u);
    EXPECT_EQ(errors.seen[1].kind, HeapErrorKind::DoubleFree);
    TestCpu::slot = 0;
}

// A block in a full magazine in the depot is still a freed block: a second
// free is a double free, a write is found when the magazine comes back.
TEST_F(HeapCacheTest, BlocksInTheDepotKeepTheirChecks) {
    if (!kDebugAlloc) GTEST_SKIP() << "release build: no debug checks";
    SmallRequest r{};
    ASSERT_TRUE(Heap::small_request(40, 16, r));
    const u32 capacity = magazine_capacity(r.index);
    std::vector<u8*> blocks;
    for (u32 i = 0; i < capacity + 1; ++i) blocks.push_back(static_cast<u8*>(heap->allocate(40)));
    for (u8* p : blocks) heap->free(p);  // the first `capacity` went to the depot whole
    u8* in_depot = blocks[3];
    heap->free(in_depot);
    ASSERT_EQ(errors.seen.size(), 1u);
    EXPECT_EQ(errors.seen[0].kind, HeapErrorKind::DoubleFree);
    in_depot[7] = 1;  // after the free
    // Emptying the magazine and the stock brings the depot's chain back.
    std::vector<void*> again;
    for (int i = 0; i < 2000 && errors.seen.size() == 1; ++i) again.push_back(heap->allocate(40));
    ASSERT_EQ(errors.seen.size(), 2u);
    EXPECT_EQ(errors.seen[1].kind, HeapErrorKind::UseAfterFree);
    EXPECT_EQ(errors.seen[1].block, in_depot - r.prefix);  // reported by the block's start
    for (void* p : again) heap->free(p);
}

TEST_F(HeapCacheTest, WriteToACachedBlockIsFoundWhenItIsHandedOutAgain) {
    if (!kDebugAlloc) GTEST_SKIP() << "release build: no debug checks";
    auto* p = static_cast<u8*>(heap->allocate(40));
    heap->free(p);
    p[5] = 1;  // after the free: the block sits in this CPU's magazine
    void* again = heap->allocate(40);
    EXPECT_EQ(again, p);  // last in, first out
    ASSERT_EQ(errors.seen.size(), 1u);
    EXPECT_EQ(errors.seen[0].kind, HeapErrorKind::UseAfterFree);
}

TEST_F(HeapCacheTest, OverflowIsCaughtAtAFreeIntoTheMagazine) {
    if (!kDebugAlloc) GTEST_SKIP() << "release build: no debug checks";
    auto* p = static_cast<u8*>(heap->allocate(40));
    p[40] = 7;
    heap->free(p);
    ASSERT_EQ(errors.seen.size(), 1u);
    EXPECT_EQ(errors.seen[0].kind, HeapErrorKind::Overflow);
    EXPECT_EQ(errors.seen[0].offset, 40);
}

// Two CPUs free the same block at the same moment: one free wins, the other
// is a double free, and the block is cached once (it comes out once).
TEST_F(HeapCacheTest, RacingDoubleFreesAreToldApart) {
    if (!kDebugAlloc) GTEST_SKIP() << "release build: no debug checks";
    constexpr int kRounds = 300;
    for (int round = 0; round < kRounds; ++round) {
        void* p = heap->allocate(64);
        std::atomic<int> ready{0};
        auto racer = [&](u32 cpu) {
            TestCpu::slot = cpu;
            ready.fetch_add(1);
            while (ready.load() < 2) {
            }
            heap->free(p);
            heap->drain_this_cpu();
        };
        std::thread a(racer, 1);
        std::thread b(racer, 2);
        a.join();
        b.join();
        ASSERT_EQ(errors.seen.size(), static_cast<usize>(round + 1));
        EXPECT_EQ(errors.seen.back().kind, HeapErrorKind::DoubleFree);
    }
    EXPECT_EQ(heap->stats().bytes_in_use, 0u);
    heap->drain_this_cpu();  // what this CPU's refills left
    EXPECT_EQ(core_stats().bytes_in_use, 0u);
}

// Four CPUs allocate, fill, check and free at random, and hand a share of
// their blocks to the next CPU, which frees them there: every block keeps its
// contents, and once each CPU has drained, every count is back at zero.
TEST_F(HeapCacheTest, SeveralCpusAtOnce) {
    constexpr u32 kCpus = 4;
    constexpr int kOps = 20000;
    struct Block {
        u8* p;
        usize size;
        u8 fill;
    };
    std::mutex handoff_lock;
    std::vector<Block> handoff[kCpus];
    std::atomic<u64> corrupted{0};
    auto check = [&](const Block& b) {
        for (usize i = 0; i < b.size; ++i)
            if (b.p[i] != b.fill) {
                corrupted.fetch_add(1);
                break;
            }
    };
    auto cpu_main = [&](u32 cpu) {
        TestCpu::slot = cpu;
        std::mt19937_64 rng(cpu + 1);
        std::vector<Block> live;
        for (int op = 0; op < kOps; ++op) {
            const u64 r = rng();
            if (!live.empty() && r % 3 == 0) {
                const usize i = r / 3 % live.size();
                check(live[i]);
                if (r % 5 == 0) {
                    const std::lock_guard<std::mutex> guard(handoff_lock);
                    handoff[(cpu + 1) % kCpus].push_back(live[i]);
                } else {
                    heap->free(live[i].p);
                }
                live[i] = live.back();
                live.pop_back();
            } else if (r % 7 == 1) {
                std::vector<Block> mine;
                {
                    const std::lock_guard<std::mutex> guard(handoff_lock);
                    mine.swap(handoff[cpu]);
                }
                for (const Block& b : mine) {
                    check(b);
                    heap->free(b.p);
                }
            } else {
                const usize size = r % 11 == 0 ? 1 + r % 9000 : 1 + r % 400;
                auto* p = static_cast<u8*>(heap->allocate(size));
                if (p == nullptr) continue;
                const auto fill = static_cast<u8>(op + cpu);
                std::memset(p, fill, size);
                live.push_back({p, size, fill});
            }
        }
        for (const Block& b : live) {
            check(b);
            heap->free(b.p);
        }
    };
    std::vector<std::thread> threads;
    for (u32 cpu = 0; cpu < kCpus; ++cpu) threads.emplace_back(cpu_main, cpu);
    for (std::thread& t : threads) t.join();
    // What was handed over but not yet taken: freed here, on CPU 0.
    for (std::vector<Block>& blocks : handoff)
        for (const Block& b : blocks) {
            check(b);
            heap->free(b.p);
        }
    EXPECT_EQ(corrupted.load(), 0u);
    EXPECT_TRUE(errors.seen.empty());
    EXPECT_EQ(heap->stats().bytes_in_use, 0u);
    EXPECT_GT(heap->cached_bytes(), 0u);
    for (u32 cpu = 0; cpu < kCpus; ++cpu) {
        std::thread([&, cpu] {
            TestCpu::slot = cpu;
            heap->drain_this_cpu();
        }).join();
    }
    EXPECT_EQ(heap->cached_bytes(), 0u);
    const HeapStats core = core_stats();
    EXPECT_EQ(core.bytes_in_use, 0u);
    EXPECT_EQ(frames->free_frames() + core.pages_held, frames_at_start);
}

}  // namespace
}  // namespace kernel::mm
