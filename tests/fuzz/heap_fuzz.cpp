// libFuzzer target: the heap core (src/kernel/mm/heap.hpp) on frames of the
// buddy allocator, against a model: random sizes (small, large) and
// alignments, frees of any live block. Each block is filled with its own
// byte and checked before its free (no overlap), is aligned as asked, the
// statistics match the model exactly, and after freeing everything no bytes
// are in use and at most kKeptEmptySlabs empty slabs per class are kept. The
// per-CPU caches' transfers too: whole slab free lists taken at once, and
// chains of freed blocks given back in runs of one slab. Debug builds
// (this one) also run the red-zone and poison checks on every operation:
// any report is a failure, since the model never misuses the heap.
#include <sys/mman.h>
#include "byte_reader.hpp"
#include "fuzz_check.hpp"
#include "operation_count.hpp"

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <map>

#include "kernel/mm/frame_pages.hpp"
#include "kernel/mm/heap.hpp"

namespace {

using namespace kernel::mm;

constexpr u64 kRam = 24ULL << 20;

u8* arena() {
    static u8* base = [] {
        void* p = mmap(nullptr, kRam, PROT_READ | PROT_WRITE,
                       MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
        FUZZ_CHECK(p != MAP_FAILED);
        return static_cast<u8*>(p);
    }();
    return base;
}

void on_frame_error(const FrameError&, void*) { std::abort(); }
void on_heap_error(const HeapError&, void*) { std::abort(); }

struct Live {
    usize size;
    u8 fill;
};

// Whether all `n` bytes at `p` are `fill`: the first is, and each equals the
// next (one memcmp of the block against itself shifted by a byte). The same
// check as a loop over the bytes, at memcmp's speed: a byte loop is
// instrumented by the fuzzer's coverage on every iteration, and blocks of up
// to 512 KiB made it most of the run's time (fuzz_heap ran about 60
// operations a second; docs/memory-allocators.md, "Tests").
bool all_bytes(const u8* p, usize n, u8 fill) {
    return n == 0 || (p[0] == fill && std::memcmp(p, p + 1, n - 1) == 0);
}

// Every operation of every input of this process.
fuzz::OperationCount g_count{"fuzz_heap"};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    fuzz::ByteReader in{data, size};
    static BuddyAllocator frames;
    const PhysicalWindow window{reinterpret_cast<uptr>(arena())};
    // A small machine now and then, so that running out is exercised too.
    const u64 end = (in.byte() & 7) == 0 ? (2ULL << 20) + (1ULL << 20) : kRam;
    const PhysRange free{PhysAddr{2ULL << 20}, PhysAddr{end}};
    FUZZ_CHECK(frames.init({&free, 1}, {window, &on_frame_error, nullptr}).ok());
    FramePages<> pages(frames, window);
    static Heap heap;
    heap.init(pages, &on_heap_error);
    const u64 frames_before = frames.free_frames();

    std::map<u8*, Live> live;
    u8 next_fill = 1;
    // A block handed out: aligned, as large as asked, overlapping none.
    auto record = [&](u8* p, usize bytes, usize align) {
        FUZZ_CHECK(reinterpret_cast<uptr>(p) % align == 0);
        FUZZ_CHECK(heap.usable_size(p) >= bytes);
        auto next = live.lower_bound(p);
        if (next != live.end()) FUZZ_CHECK(p + bytes <= next->first);
        if (next != live.begin()) {
            auto prev = std::prev(next);
            FUZZ_CHECK(prev->first + prev->second.size <= p);
        }
        std::memset(p, next_fill, bytes);
        live[p] = {bytes, next_fill++};
    };
    while (in.size > 0) {
        const u32 op = in.byte();
        ++g_count.operations;
        if ((op & 0x1f) == 0x1c) {
            // What a per-CPU refill does: whole slab free lists of one class
            // (heap_cache.hpp), each block then handed out.
            // (Debug blocks need 24 bytes: never from the 16-byte class.)
            const usize first = kDebugAlloc ? 1 : 0;
            const usize index = first + in.byte() % (kHeapClassCount - first);
            usize got = 0;
            void* chain = heap.take_slabs(index, 1 + in.byte(), got);
            const usize prefix = kDebugAlloc ? heap_layout::kDebugPrefix : 0;
            const usize room =
                kHeapClassSizes[index] - prefix - (kDebugAlloc ? heap_layout::kRearRedZone : 0);
            usize length = 0;
            while (chain != nullptr) {
                void* block = chain;
                std::memcpy(&chain, block, sizeof chain);
                const usize bytes = in.byte() % (room + 1);
                record(static_cast<u8*>(heap.hand_out(block, {index, prefix}, bytes, nullptr)),
                       bytes, 16);
                ++length;
            }
            FUZZ_CHECK(length == got);
        } else if ((op & 0x1f) == 0x18 && !live.empty()) {
            // What a per-CPU flush does: freed blocks of one class back as
            // one chain (neighbours in address order: runs of one slab).
            auto it = live.begin();
            std::advance(it, static_cast<long>(in.word() % live.size()));
            void* chain = nullptr;
            usize chain_index = kHeapClassCount;
            usize count = 0;
            for (u32 n = 1 + in.byte() % 64; n > 0 && it != live.end(); --n) {
                FUZZ_CHECK(all_bytes(it->first, it->second.size, it->second.fill));
                void* block = it->first;
                usize index = 0;
                const FreeKind kind = heap.prepare_free(block, index, nullptr);
                FUZZ_CHECK(kind != FreeKind::Rejected);
                if (kind == FreeKind::Other) {
                    heap.free(it->first);  // a large block
                } else if (chain_index == kHeapClassCount || index == chain_index) {
                    chain_index = index;
                    std::memcpy(block, &chain, sizeof chain);
                    chain = block;
                    ++count;
                } else {
                    void* none = nullptr;
                    std::memcpy(block, &none, sizeof none);
                    heap.give(index, block, 1);
                }
                it = live.erase(it);
            }
            if (count != 0) heap.give(chain_index, chain, count);
        } else if ((op & 3) != 0 || live.empty()) {
            usize bytes = in.word();
            if ((op & 4) == 0) bytes %= 512;
            if ((op & 0xf8) == 0xf8) bytes *= 8;  // up to 512 KiB
            const usize align = (op & 0x10) ? usize{1} << ((op >> 5) % 13) : 16;
            auto* p = static_cast<u8*>(heap.allocate(bytes, align));
            if (p == nullptr) continue;
            record(p, bytes, align);
        } else {
            auto it = live.begin();
            std::advance(it, static_cast<long>(in.word() % live.size()));
            FUZZ_CHECK(all_bytes(it->first, it->second.size, it->second.fill));
            heap.free(it->first);
            live.erase(it);
        }
        const HeapStats& s = heap.stats();
        u64 small = 0;
        u64 blocks = 0;
        for (const HeapClassStats& c : s.classes) {
            small += c.blocks_in_use * c.size;
            blocks += c.blocks_in_use;
        }
        FUZZ_CHECK(blocks + s.large_blocks == live.size());
        FUZZ_CHECK(s.bytes_in_use == small + s.large_bytes);
        FUZZ_CHECK(s.high_water >= s.bytes_in_use);
        FUZZ_CHECK(frames.free_frames() == frames_before - s.pages_held);
    }
    for (auto& [p, l] : live) heap.free(p);
    FUZZ_CHECK(heap.stats().bytes_in_use == 0);
    FUZZ_CHECK(heap.stats().pages_held <=
               (usize{kKeptEmptySlabs} << kHeapChunkOrder) * kHeapClassCount);
    return 0;
}
