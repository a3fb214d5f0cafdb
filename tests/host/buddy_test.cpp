// kernel::mm::BuddyAllocator (src/kernel/mm/buddy.hpp): zones, orders,
// splitting and coalescing, the bookkeeping's placement, the error checks,
// and a reference model over random operations.
#include "kernel/mm/buddy.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cstring>
#include <map>
#include <memory>
#include <optional>
#include <random>
#include <vector>

#include "phys_arena.hpp"

namespace kernel::mm {
namespace {

constexpr u64 k4K = 4096;
constexpr u64 kMiB = 1ULL << 20;
constexpr u64 kGiB = 1ULL << 30;

constexpr PhysAddr P(u64 value) { return PhysAddr{value}; }

struct Errors {
    std::vector<FrameError> seen;
    static void record(const FrameError& e, void* self) {
        static_cast<Errors*>(self)->seen.push_back(e);
    }
};

struct Buddy : testing::Test {
    std::unique_ptr<keel_test::PhysArena> arena;
    std::unique_ptr<BuddyAllocator> owner = std::make_unique<BuddyAllocator>();
    BuddyAllocator& buddy = *owner;
    Errors errors;

    BuddyInitResult init(std::vector<PhysRange> free, bool poison = true) {
        u64 top = free.empty() ? k4K : free.back().end().value();
        arena = std::make_unique<keel_test::PhysArena>(top);
        return buddy.init({free.data(), free.size()},
                          {arena->window(), &Errors::record, &errors, poison});
    }
};

// A free() whose return address the test knows to lie in this function.
__attribute__((noinline)) void free_here(BuddyAllocator& b, PhysAddr phys, u32 order) {
    b.free(phys, order);
    asm volatile("");  // keeps the call from becoming a tail jump
}

TEST_F(Buddy, ZonesSplitAtOneMiBAndFourGiB) {
    // One range across both boundaries: three zones, the bookkeeping
    // (one byte per frame) at 1 MiB, never in the low zone.
    ASSERT_TRUE(init({{P(0x1000), P(4 * kGiB + 8 * kMiB)}}, false).ok());
    const u64 frames = (4 * kGiB + 8 * kMiB - 0x1000) / k4K;
    const u64 book = (frames + k4K - 1) / k4K * k4K;
    EXPECT_EQ(buddy.bookkeeping().base(), P(1 * kMiB));
    EXPECT_EQ(buddy.bookkeeping().size(), book);
    EXPECT_EQ(buddy.total_frames(Zone::Low), (1 * kMiB - 0x1000) / k4K);
    EXPECT_EQ(buddy.total_frames(Zone::Dma32), (4 * kGiB - 1 * kMiB - book) / k4K);
    EXPECT_EQ(buddy.total_frames(Zone::Normal), 8 * kMiB / k4K);
    for (Zone z : {Zone::Low, Zone::Dma32, Zone::Normal})
        EXPECT_EQ(buddy.free_frames(z), buddy.total_frames(z));
    // The largest blocks: 8 MiB above 4 GiB are two 4 MiB blocks.
    EXPECT_EQ(buddy.free_blocks(Zone::Normal, kMaxOrder), 2u);
    // Below 1 MiB from 4 KiB: 4K+8K+...+512K, one block of each order 0..7.
    for (u32 order = 0; order <= 7; ++order) EXPECT_EQ(buddy.free_blocks(Zone::Low, order), 1u);
    EXPECT_EQ(buddy.free_blocks(Zone::Low, 8), 0u);
}

TEST_F(Buddy, EachZoneOnlyAsDocumented) {
    ASSERT_TRUE(init({{P(0x0), P(0x10000)},
                      {P(2 * kMiB), P(3 * kMiB)},
                      {P(4 * kGiB), P(4 * kGiB + 64 * k4K)}})
                    .ok());
    // Normal first, then DMA32; never the low zone.
    std::vector<PhysAddr> got;
    while (auto p = buddy.allocate(0)) got.push_back(*p);
    const u64 normal = 64, dma32 = buddy.total_frames(Zone::Dma32);
    ASSERT_EQ(got.size(), normal + dma32);
    for (usize i = 0; i < got.size(); ++i)
        EXPECT_EQ(zone_of(got[i]), i < normal ? Zone::Normal : Zone::Dma32) << i;
    EXPECT_EQ(buddy.free_frames(Zone::Low), 16u);
    EXPECT_FALSE(buddy.allocate(0, Zone::Dma32));
    // Low only when asked.
    for (u64 i = 0; i < 16; ++i) {
        auto p = buddy.allocate(0, Zone::Low);
        ASSERT_TRUE(p);
        EXPECT_LT(*p, P(0x10000));
    }
    EXPECT_FALSE(buddy.allocate(0, Zone::Low));
    for (PhysAddr p : got) buddy.free(p, 0);
    // DMA32 requests never take Normal memory.
    while (auto p = buddy.allocate(0, Zone::Dma32)) EXPECT_EQ(zone_of(*p), Zone::Dma32);
    EXPECT_EQ(buddy.free_frames(Zone::Normal), 64u);
    EXPECT_TRUE(errors.seen.empty());
}

TEST_F(Buddy, BlocksAreAlignedAndSplitThenCoalesce) {
    ASSERT_TRUE(init({{P(2 * kMiB), P(2 * kMiB + 8 * kMiB)}}).ok());  // bookkeeping takes one frame
    const u64 total = buddy.free_frames();
    std::vector<u64> initial;
    for (u32 o = 0; o <= kMaxOrder; ++o) initial.push_back(buddy.free_blocks(Zone::Dma32, o));
    for (u32 order = 0; order <= kMaxOrder; ++order) {
        auto p = buddy.allocate(order);
        ASSERT_TRUE(p) << order;
        EXPECT_TRUE(p->is_aligned(k4K << order)) << order;
        EXPECT_EQ(buddy.free_frames(), total - (1ULL << order));
        buddy.free(*p, order);
        EXPECT_EQ(buddy.free_frames(), total);
        for (u32 o = 0; o <= kMaxOrder; ++o)
            EXPECT_EQ(buddy.free_blocks(Zone::Dma32, o), initial[o]) << "after order " << order;
    }
    EXPECT_FALSE(buddy.allocate(kMaxOrder + 1));
    // Freed in any order, frames coalesce back into the same blocks.
    std::vector<PhysAddr> frames;
    while (auto p = buddy.allocate(0)) frames.push_back(*p);
    EXPECT_EQ(frames.size(), total);
    std::shuffle(frames.begin(), frames.end(), std::mt19937_64(7));
    for (PhysAddr p : frames) buddy.free(p, 0);
    for (u32 o = 0; o <= kMaxOrder; ++o) EXPECT_EQ(buddy.free_blocks(Zone::Dma32, o), initial[o]);
    EXPECT_TRUE(errors.seen.empty());
}

TEST_F(Buddy, FreedFramesArePoisoned) {
    ASSERT_TRUE(init({{P(2 * kMiB), P(4 * kMiB)}}).ok());
    auto p = buddy.allocate(1);
    ASSERT_TRUE(p);
    std::memset(arena->at(p->value()), 0x11, 2 * k4K);
    buddy.free(*p, 1);
    // The first 16 bytes of a free block hold its list links.
    for (u64 i = 16; i < 2 * k4K; ++i) ASSERT_EQ(arena->at(p->value())[i], kFramePoison) << i;
}

TEST_F(Buddy, DoubleFreeIsReportedWithTheCaller) {
    ASSERT_TRUE(init({{P(2 * kMiB), P(4 * kMiB)}}).ok());
    auto p = buddy.allocate(2);
    ASSERT_TRUE(p);
    buddy.free(*p, 2);
    const u64 before = buddy.free_frames();
    free_here(buddy, *p, 2);
    ASSERT_EQ(errors.seen.size(), 1u);
    const FrameError& e = errors.seen[0];
    EXPECT_EQ(e.kind, FrameErrorKind::DoubleFree);
    EXPECT_EQ(e.phys, *p);
    EXPECT_EQ(e.order, 2u);
    const auto here = reinterpret_cast<uptr>(&free_here);
    EXPECT_GT(reinterpret_cast<uptr>(e.caller), here);
    // Inside free_here's body: clang's sanitized -O0 code puts the call
    // about 350 bytes in (g++ under 256).
    EXPECT_LT(reinterpret_cast<uptr>(e.caller), here + 1024);
    EXPECT_EQ(buddy.free_frames(), before);  // nothing changed
    EXPECT_EQ(describe(e.kind), ktl::string_view("double free"));
}

// A frame freed twice after it merged with its buddy is no block head any
// more, but inside a free block: said so, not "never allocated".
TEST_F(Buddy, ADoubleFreeAfterAMergeIsNotCalledNeverAllocated) {
    ASSERT_TRUE(init({{P(2 * kMiB), P(4 * kMiB)}}).ok());
    // Two buddies among single frames, the others given back.
    std::vector<PhysAddr> frames;
    for (int i = 0; i < 16; ++i) {
        auto f = buddy.allocate(0);
        ASSERT_TRUE(f);
        frames.push_back(*f);
    }
    std::optional<PhysAddr> a, b;
    for (PhysAddr x : frames)
        for (PhysAddr y : frames)
            if (!a && (x.value() ^ y.value()) == k4K) a = x, b = y;
    ASSERT_TRUE(a && b);
    for (PhysAddr f : frames)
        if (f != *a && f != *b) buddy.free(f, 0);
    const PhysAddr upper = a->value() > b->value() ? *a : *b;
    buddy.free(*a, 0);
    buddy.free(*b, 0);  // merged into a larger free block
    const u64 before = buddy.free_frames();
    buddy.free(upper, 0);
    ASSERT_EQ(errors.seen.size(), 1u);
    EXPECT_EQ(errors.seen[0].kind, FrameErrorKind::AlreadyFree);
    EXPECT_EQ(describe(errors.seen[0].kind),
              ktl::string_view("free of a frame that is free (a double free, or never allocated)"));
    EXPECT_EQ(buddy.free_frames(), before);
    // A frame inside an allocated block is still one never allocated.
    auto big = buddy.allocate(2);
    ASSERT_TRUE(big);
    buddy.free(PhysAddr{big->value() + k4K}, 0);
    ASSERT_EQ(errors.seen.size(), 2u);
    EXPECT_EQ(errors.seen[1].kind, FrameErrorKind::NotAllocated);
}

TEST_F(Buddy, FreesOfAnythingElseAreReported) {
    ASSERT_TRUE(init({{P(2 * kMiB), P(4 * kMiB)}}).ok());
    auto p = buddy.allocate(2);
    ASSERT_TRUE(p);
    const u64 before = buddy.free_frames();
    buddy.free(*p + k4K, 0);        // inside the block
    buddy.free(*p + 5 * k4K, 0);    // inside a free block, never allocated: already free
    buddy.free(*p + 1, 2);          // misaligned
    buddy.free(P(64 * kMiB), 0);    // not managed at all
    buddy.free(*p, kMaxOrder + 3);  // no such order
    buddy.free(*p, 1);              // the wrong order
    ASSERT_EQ(errors.seen.size(), 6u);
    for (usize i = 0; i < 5; ++i)
        EXPECT_EQ(errors.seen[i].kind,
                  i == 1 ? FrameErrorKind::AlreadyFree : FrameErrorKind::NotAllocated)
            << i;
    EXPECT_EQ(errors.seen[1].phys, *p + 5 * k4K);
    EXPECT_EQ(errors.seen[5].kind, FrameErrorKind::WrongOrder);
    EXPECT_EQ(errors.seen[5].allocated_order, 2u);
    EXPECT_EQ(buddy.free_frames(), before);
    buddy.free(*p, 2);
    EXPECT_EQ(errors.seen.size(), 6u);
}

TEST_F(Buddy, InitSaysWhatIsWrong) {
    EXPECT_EQ(init({}).error(), BuddyInitError::NoFreeMemory);
    // Only low memory: the bookkeeping is never put there.
    EXPECT_EQ(init({{P(0x0), P(0x9f000)}}).error(), BuddyInitError::NoRoomForBookkeeping);
    EXPECT_FALSE(describe(BuddyInitError::NoRoomForBookkeeping).empty());
    // Each range one frame; the bookkeeping takes the first whole, the
    // rest are one more than the spans there is room for.
    std::vector<PhysRange> many;
    for (u64 i = 0; i < BuddyAllocator::kMaxSpans + 2; ++i)
        many.push_back({P(2 * kMiB + 2 * k4K * i), P(2 * kMiB + 2 * k4K * i + k4K)});
    EXPECT_EQ(init(many).error(), BuddyInitError::TooManyRanges);
    EXPECT_EQ(buddy.free_frames(), 0u);
    EXPECT_FALSE(buddy.allocate(0));
    many.pop_back();
    EXPECT_TRUE(init(many).ok());
    EXPECT_EQ(buddy.free_frames(), BuddyAllocator::kMaxSpans);
    // The bookkeeping (4097 frames: two pages) skips a range too small for it.
    ASSERT_TRUE(init({{P(2 * kMiB), P(2 * kMiB + k4K)}, {P(8 * kMiB), P(24 * kMiB)}}).ok());
    EXPECT_EQ(buddy.bookkeeping().base(), P(8 * kMiB));
    EXPECT_EQ(buddy.bookkeeping().size(), 2 * k4K);
    EXPECT_EQ(buddy.free_frames(), 1 + 4096 - 2u);
}

// Random allocations and frees against a model of the live blocks.
TEST_F(Buddy, MatchesAReferenceModel) {
    std::vector<PhysRange> free{{P(0x3000), P(0x9f000)},
                                {P(1 * kMiB), P(7 * kMiB + 0x5000)},
                                {P(9 * kMiB + 0x2000), P(23 * kMiB)},
                                {P(4 * kGiB - 3 * kMiB), P(4 * kGiB + 5 * kMiB + 0x7000)}};
    ASSERT_TRUE(init(free).ok());
    const PhysRange book = buddy.bookkeeping();
    u64 initial[kZoneCount][kOrderCount];
    for (usize z = 0; z < kZoneCount; ++z)
        for (u32 o = 0; o <= kMaxOrder; ++o)
            initial[z][o] = buddy.free_blocks(static_cast<Zone>(z), o);
    u64 total[kZoneCount];
    for (usize z = 0; z < kZoneCount; ++z) total[z] = buddy.total_frames(static_cast<Zone>(z));

    std::map<PhysAddr, u32> live;  // phys -> order
    u64 used[kZoneCount] = {};
    std::mt19937_64 rng(99);
    auto inside_free = [&](PhysAddr base, PhysAddr end) {
        for (const PhysRange& r : free)
            if (r.base() <= base && end <= r.end()) return !book.overlaps(PhysRange{base, end});
        return false;
    };
    for (int step = 0; step < 200000; ++step) {
        if (live.empty() || rng() % 100 < 55) {
            const u32 order = static_cast<u32>(rng() % 100 < 70 ? rng() % 3 : rng() % kOrderCount);
            const Zone zone = static_cast<Zone>(rng() % kZoneCount);
            auto p = buddy.allocate(order, zone);
            if (!p) continue;
            const PhysAddr end = *p + (k4K << order);
            ASSERT_TRUE(p->is_aligned(k4K << order));
            ASSERT_TRUE(inside_free(*p, end)) << std::hex << p->value();
            const Zone got = zone_of(*p);
            ASSERT_TRUE(got == zone || (zone == Zone::Normal && got == Zone::Dma32));
            ASSERT_EQ(zone_of(end - 1), got);
            auto next = live.lower_bound(*p);
            if (next != live.end()) {
                ASSERT_LE(end, next->first) << "overlap";
            }
            if (next != live.begin()) {
                auto prev = std::prev(next);
                ASSERT_LE(prev->first + (k4K << prev->second), *p) << "overlap";
            }
            live[*p] = order;
            used[static_cast<usize>(got)] += 1ULL << order;
        } else {
            auto it = live.begin();
            std::advance(it, static_cast<long>(rng() % live.size()));
            buddy.free(it->first, it->second);
            used[static_cast<usize>(zone_of(it->first))] -= 1ULL << it->second;
            live.erase(it);
        }
        for (usize z = 0; z < kZoneCount; ++z)
            ASSERT_EQ(buddy.free_frames(static_cast<Zone>(z)), total[z] - used[z]) << step;
    }
    for (auto [p, order] : live) buddy.free(p, order);
    for (usize z = 0; z < kZoneCount; ++z) {
        EXPECT_EQ(buddy.free_frames(static_cast<Zone>(z)), total[z]);
        for (u32 o = 0; o <= kMaxOrder; ++o)
            EXPECT_EQ(buddy.free_blocks(static_cast<Zone>(z), o), initial[z][o]) << z << " " << o;
    }
    EXPECT_TRUE(errors.seen.empty());
}

TEST(BuddyNames, ZonesAndErrorsInWords) {
    EXPECT_EQ(zone_name(Zone::Low), ktl::string_view("low"));
    EXPECT_EQ(zone_name(Zone::Dma32), ktl::string_view("DMA32"));
    EXPECT_EQ(zone_name(Zone::Normal), ktl::string_view("normal"));
    EXPECT_EQ(describe(FrameErrorKind::NotAllocated),
              ktl::string_view("free of a frame never allocated"));
    EXPECT_EQ(zone_of(P(0xfffff)), Zone::Low);
    EXPECT_EQ(zone_of(P(0x100000)), Zone::Dma32);
    EXPECT_EQ(zone_of(P(kDma32End)), Zone::Normal);
}

}  // namespace
}  // namespace kernel::mm
