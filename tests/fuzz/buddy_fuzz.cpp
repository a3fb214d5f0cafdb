// libFuzzer target: the buddy frame allocator (src/kernel/mm/buddy.hpp)
// against a model of the live blocks. The input chooses up to eight free
// ranges in the first 16 MiB and 4 GiB + 16 MiB (so all three zones occur),
// then a sequence of allocations (order, zone) and frees (which live block).
// After every step: blocks are aligned, inside the free ranges, in the zone
// asked for, never overlapping, and the free counts are exact; at the end,
// freeing everything restores the initial blocks.
#include <sys/mman.h>
#include "byte_reader.hpp"
#include "fuzz_check.hpp"
#include "operation_count.hpp"

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <map>
#include <vector>

#include "kernel/mm/buddy.hpp"

namespace {

using namespace kernel::mm;

constexpr u64 k4K = 4096;
constexpr u64 kLowSpace = 16ULL << 20;
constexpr u64 kHighBase = 4ULL << 30;
constexpr u64 kArena = kHighBase + kLowSpace;

u8* arena() {
    static u8* base = [] {
        void* p = mmap(nullptr, kArena, PROT_READ | PROT_WRITE,
                       MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
        FUZZ_CHECK(p != MAP_FAILED);
        return static_cast<u8*>(p);
    }();
    return base;
}

void on_error(const FrameError&, void*) { std::abort(); }  // the model never double frees

// Every operation of every input of this process.
fuzz::OperationCount g_count{"fuzz_buddy"};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    fuzz::ByteReader in{data, size};
    // Ranges: page numbers within each 16 MiB window, sorted and disjoint.
    std::vector<PhysRange> free;
    const u32 count = 1 + in.byte() % 8;
    u64 at = 0;
    for (u32 i = 0; i < count; ++i) {
        const u64 window_end = i < count / 2 ? kLowSpace : kArena;
        if (i == count / 2 && at < kHighBase - 0x100000) at = kHighBase - 0x100000;
        const u64 base = at + (in.word() % 1024) * k4K;
        const u64 end = base + (1 + in.word() % 4096) * k4K;
        if (end > window_end) break;
        free.push_back({PhysAddr{base}, PhysAddr{end}});
        at = end + k4K;
    }
    static BuddyAllocator buddy;
    const BuddyConfig config{{reinterpret_cast<uptr>(arena())}, &on_error, nullptr, true};
    if (!buddy.init({free.data(), free.size()}, config).ok()) return 0;
    const PhysRange book = buddy.bookkeeping();

    u64 total[kZoneCount];
    u64 initial[kZoneCount][kOrderCount];
    for (usize z = 0; z < kZoneCount; ++z) {
        total[z] = buddy.total_frames(static_cast<Zone>(z));
        for (u32 o = 0; o <= kMaxOrder; ++o)
            initial[z][o] = buddy.free_blocks(static_cast<Zone>(z), o);
    }
    std::map<PhysAddr, u32> live;
    u64 used[kZoneCount] = {};
    while (in.size > 0) {
        const u32 op = in.byte();
        ++g_count.operations;
        if ((op & 1) == 0 || live.empty()) {
            const u32 order = (op >> 1) % (kOrderCount + 1);  // kOrderCount: too large
            const Zone zone = static_cast<Zone>((op >> 5) % kZoneCount);
            auto p = buddy.allocate(order, zone);
            if (order > kMaxOrder) FUZZ_CHECK(!p);
            if (!p) continue;
            const PhysAddr end = *p + (k4K << order);
            FUZZ_CHECK(p->is_aligned(k4K << order));
            bool inside = false;
            for (const PhysRange& r : free) inside |= r.base() <= *p && end <= r.end();
            FUZZ_CHECK(inside && !book.overlaps({*p, end}));
            const Zone got = zone_of(*p);
            FUZZ_CHECK(got == zone || (zone == Zone::Normal && got == Zone::Dma32));
            FUZZ_CHECK(zone_of(end - 1) == got);
            auto next = live.lower_bound(*p);
            if (next != live.end()) FUZZ_CHECK(end <= next->first);
            if (next != live.begin()) {
                auto prev = std::prev(next);
                FUZZ_CHECK(prev->first + (k4K << prev->second) <= *p);
            }
            live[*p] = order;
            used[static_cast<usize>(got)] += 1ULL << order;
        } else {
            auto it = live.begin();
            std::advance(it, static_cast<long>(in.word() % live.size()));
            buddy.free(it->first, it->second);
            used[static_cast<usize>(zone_of(it->first))] -= 1ULL << it->second;
            live.erase(it);
        }
        for (usize z = 0; z < kZoneCount; ++z)
            FUZZ_CHECK(buddy.free_frames(static_cast<Zone>(z)) == total[z] - used[z]);
    }
    for (auto [p, order] : live) buddy.free(p, order);
    for (usize z = 0; z < kZoneCount; ++z) {
        FUZZ_CHECK(buddy.free_frames(static_cast<Zone>(z)) == total[z]);
        for (u32 o = 0; o <= kMaxOrder; ++o)
            FUZZ_CHECK(buddy.free_blocks(static_cast<Zone>(z), o) == initial[z][o]);
    }
    return 0;
}
