// The heap's per-CPU front end: for each CPU and size class, a magazine of
// free blocks (a chain through their first word and a count) that the CPU
// allocates from and frees into without the heap's lock. Only its own CPU
// touches a magazine, and only with interrupts off there, so an interrupt
// handler that allocates cannot land in the middle of a push or pop: the
// magazine's owner is its CPU, and interrupts off is its lock. Beside it a
// stock: what the last refill brought. A full magazine goes whole to the
// depot (kernel/mm/heap_depot.hpp, under the core's lock); an empty magazine
// and stock take a full magazine back from it, or whole slab free lists
// from the core: one short locked call either way, no walk over the blocks.
// Large blocks and aligned requests above 64 B go straight to the core.
// Design: docs/memory-allocators.md, "Per-CPU caches".
//
// Hardware-independent: `Platform` says which CPU runs, how interrupts
// go off and where each CPU's caches are. The kernel's uses
// smp::current_index(), InterruptSaveGuard and a per-CPU variable (memory
// only for the CPUs there are: kernel/mm/kernel_heap.cpp); the host tests
// and the benchmark give each thread a CPU slot of its own.
//
//   struct Platform {
//       class InterruptGuard;             // interrupts off on this CPU for its scope
//       static u32 cpu_index();           // called with interrupts off
//       static u32 cpu_count();           // cpu_index() is below this
//       static HeapCpuCache& cache(u32);  // CPU n's caches: zero bytes at first
//   };
#pragma once

#include "kernel/mm/heap.hpp"
#include "kernel/mm/heap_depot.hpp"
#include "kernel/mm/locked.hpp"
#include "lib/ktl/types.hpp"

namespace kernel::mm {

// Blocks a magazine holds at most: 16 KiB worth, between 4 and 32 blocks.
// Enough that alloc/free pairs and short bursts never reach the lock;
// small enough that all caches together stay a fraction of a small
// machine's heap (kMaxMagazineBytes per CPU).
[[nodiscard]] constexpr u32 magazine_capacity(usize class_index) {
    const usize blocks = usize{16384} / kHeapClassSizes[class_index];
    return static_cast<u32>(blocks < 4 ? 4 : blocks > 32 ? 32 : blocks);
}
[[nodiscard]] constexpr usize max_magazine_bytes() {
    usize bytes = 0;
    for (usize i = 0; i < kHeapClassCount; ++i) bytes += magazine_capacity(i) * kHeapClassSizes[i];
    return bytes;
}
inline constexpr usize kMaxMagazineBytes = max_magazine_bytes();  // per CPU
// The capacities as a table: free() compares against it at every call, and
// computing one is a division.
struct MagazineCapacities {
    u32 of[kHeapClassCount]{};
    constexpr MagazineCapacities() {
        for (usize i = 0; i < kHeapClassCount; ++i) of[i] = magazine_capacity(i);
    }
};
inline constexpr MagazineCapacities kMagazineCapacities;

// A refill asks the core for at least this many blocks and gets whole slab
// free lists (Heap::take_slabs): fewer than this plus one slab's blocks.
[[nodiscard]] constexpr u32 refill_want(usize class_index) {
    return magazine_capacity(class_index) / 2;
}
[[nodiscard]] constexpr usize max_stock_blocks(usize class_index) {
    const usize per_slab =
        (kHeapChunkBytes - heap_layout::kHeaderBytes) / kHeapClassSizes[class_index];
    return refill_want(class_index) - 1 + per_slab;
}
[[nodiscard]] constexpr usize max_stock_bytes() {
    usize bytes = 0;
    for (usize i = 0; i < kHeapClassCount; ++i) bytes += max_stock_blocks(i) * kHeapClassSizes[i];
    return bytes;
}
// What one CPU caches at most, magazines and stock: about 420 KiB, and only
// in classes it used that much.
inline constexpr usize kMaxCachedBytes = kMaxMagazineBytes + max_stock_bytes();
static_assert(kMaxCachedBytes <= usize{420} * 1024, "docs/memory-allocators.md states the bound");

// Two chains per class: the magazine of freed blocks (bounded by
// magazine_capacity(), flushed to the depot when full) and the stock of
// blocks a refill took (a full magazine from the depot or whole slab free
// lists, used up before the next refill). Separate, so that a free never
// sends a just-taken stock back.
struct HeapMagazine {
    void* head = nullptr;
    void* stock = nullptr;
    u32 count = 0;        // written by the owner; read by stats() on any CPU
    u32 stock_count = 0;  // likewise
};
// One CPU's caches: a cache line or more, so one CPU's pushes never
// invalidate another's magazines. All zero bytes when empty, so that a
// per-CPU area that starts zeroed holds empty caches.
struct alignas(64) HeapCpuCache {
    HeapMagazine classes[kHeapClassCount];
};

template <typename Platform, typename Lock, typename Guard = ScopedLock<Lock>>
class CachedHeap {
public:
    void init(PageProvider& pages, HeapErrorHandler on_error, void* error_context = nullptr) {
        core_.unlocked().init(pages, on_error, error_context);
        for (u32 cpu = 0; cpu < Platform::cpu_count(); ++cpu) Platform::cache(cpu) = {};
        depot_ = {};
    }

    // As Heap::allocate and Heap::free, from any CPU, with interrupts on or off.
    // The fast paths are a pop and a push; whatever needs the core (and the
    // registers it takes) is in out-of-line functions they jump to.
    [[nodiscard]] __attribute__((noinline)) void* allocate(usize size, usize align = 16,
                                                           const void* caller = nullptr) {
        if (caller == nullptr) caller = __builtin_return_address(0);
        SmallRequest request{};
        if (!Heap::small_request(size, align, request)) [[unlikely]]
            return allocate_in_core(size, align, caller);
        void* block = nullptr;
        {
            [[maybe_unused]] const typename Platform::InterruptGuard interrupts_off;
            Magazine& m = Platform::cache(Platform::cpu_index()).classes[request.index];
            // Freed blocks first (last in, first out: warm, and a write after
            // a free is found at the next allocation), then the stock.
            block = m.head;
            if (block != nullptr) [[likely]] {
                m.head = next(block);
                set_count(m, m.count - 1);
            } else if (block = m.stock; block != nullptr) {
                m.stock = next(block);
                set_stock_count(m, m.stock_count - 1);
            }
        }
        if (block == nullptr) [[unlikely]]
            return refill_and_allocate(request, size, caller);
        // The block is the caller's now: its checks need no lock, and a
        // report (a panic in the kernel) comes with interrupts as they were.
        return core_.unlocked().hand_out(block, request, size, caller);
    }

    __attribute__((noinline)) void free(void* block, const void* caller = nullptr) {
        if (block == nullptr) return;
        if (caller == nullptr) caller = __builtin_return_address(0);
        usize index = 0;
        const FreeKind kind = core_.unlocked().prepare_free(block, index, caller);
        if (kind != FreeKind::Small) [[unlikely]] {
            if (kind == FreeKind::Other) free_in_core(block, caller);
            return;
        }
        [[maybe_unused]] const typename Platform::InterruptGuard interrupts_off;
        Magazine& m = Platform::cache(Platform::cpu_index()).classes[index];
        if (m.count == kMagazineCapacities.of[index]) [[unlikely]] {
            flush_and_push(m, index, block);
            return;
        }
        set_next(block, m.head);
        m.head = block;
        set_count(m, m.count + 1);
    }

    // The core's statistics with the blocks in the magazines counted free,
    // as the caller sees them: bytes_in_use and blocks_in_use are what is
    // handed out. high_water and pages_held are the core's (cached blocks
    // count as in use there). Read under the core's lock, so no magazine
    // refills or flushes meanwhile; the counts are still a snapshot taken
    // one CPU after another, and a block allocated on one CPU and freed on
    // another during the reading may be counted cached twice: a class
    // never shows fewer than zero blocks in use.
    [[nodiscard]] HeapStats stats() {
        return core_.with([&](Heap& heap) {
            HeapStats s = heap.stats();
            for (usize c = 0; c < kHeapClassCount; ++c) {
                u64 cached = cached_blocks(c);
                if (cached > s.classes[c].blocks_in_use) cached = s.classes[c].blocks_in_use;
                s.classes[c].blocks_in_use -= cached;
                s.bytes_in_use -= cached * kHeapClassSizes[c];
            }
            return s;
        });
    }

    // Bytes in every CPU's magazines and stock, and in the depot: a
    // snapshot, exact only while no other CPU allocates or frees.
    [[nodiscard]] u64 cached_bytes() const {
        u64 bytes = 0;
        for (usize c = 0; c < kHeapClassCount; ++c) bytes += cached_blocks(c) * kHeapClassSizes[c];
        return bytes;
    }

    // Gives every block this CPU caches, and every full magazine in the
    // depot, back to the slabs (whose empty ones then go back to the page
    // provider). For running out of memory, and for a thread about to stop
    // using its CPU slot (host tests).
    void drain_this_cpu() {
        [[maybe_unused]] const typename Platform::InterruptGuard interrupts_off;
        CpuCache& cpu = Platform::cache(Platform::cpu_index());
        core_.with([&](Heap& heap) {
            for (usize c = 0; c < kHeapClassCount; ++c) {
                Magazine& m = cpu.classes[c];
                if (m.count != 0) heap.give(c, m.head, m.count);
                if (m.stock_count != 0) heap.give(c, m.stock, m.stock_count);
                m.head = m.stock = nullptr;
                set_count(m, 0);
                set_stock_count(m, 0);
                u32 count = 0;
                while (void* chain = depot_.take(c, count)) heap.give(c, chain, count);
            }
        });
    }

    // The core behind its lock (tests, and statistics without the caches).
    Locked<Heap, Lock, Guard>& core() { return core_; }

private:
    using Magazine = HeapMagazine;
    using CpuCache = HeapCpuCache;

    static void* next(void* block) {
        void* n = nullptr;
        __builtin_memcpy(&n, block, sizeof n);
        return n;
    }
    static void set_next(void* block, void* n) { __builtin_memcpy(block, &n, sizeof n); }
    static void set_count(Magazine& m, u32 count) {
        __atomic_store_n(&m.count, count, __ATOMIC_RELAXED);
    }
    static void set_stock_count(Magazine& m, u32 count) {
        __atomic_store_n(&m.stock_count, count, __ATOMIC_RELAXED);
    }

    // Large blocks, aligned ones above 64 B, and the refused.
    [[gnu::noinline]] void* allocate_in_core(usize size, usize align, const void* caller) {
        return core_.with([&](Heap& heap) { return heap.allocate(size, align, caller); });
    }
    [[gnu::noinline]] void free_in_core(void* block, const void* caller) {
        core_.with([&](Heap& heap) { heap.free(block, caller); });
    }

    // The magazine and the stock empty: a full magazine from the depot, or
    // else whole slab free lists from the core (a step per slab for a slab's
    // worth of allocations); one lock either way. One block is the
    // caller's, the rest become the stock.
    [[gnu::noinline]] void* refill_and_allocate(SmallRequest request, usize size,
                                                const void* caller) {
        void* block = nullptr;
        {
            [[maybe_unused]] const typename Platform::InterruptGuard interrupts_off;
            Magazine& m = Platform::cache(Platform::cpu_index()).classes[request.index];
            // An interrupt between allocate()'s look and this guard may
            // have freed or refilled meanwhile: use that first.
            if (m.head != nullptr) {
                block = m.head;
                m.head = next(block);
                set_count(m, m.count - 1);
            } else if (m.stock != nullptr) {
                block = m.stock;
                m.stock = next(block);
                set_stock_count(m, m.stock_count - 1);
            } else {
                usize got = 0;
                block = core_.with([&](Heap& heap) {
                    u32 kept = 0;
                    void* chain = depot_.take(request.index, kept);
                    got = kept;
                    if (chain != nullptr) return chain;
                    return heap.take_slabs(request.index, refill_want(request.index), got);
                });
                if (block == nullptr) return nullptr;
                m.stock = next(block);
                set_stock_count(m, static_cast<u32>(got - 1));
            }
        }
        return core_.unlocked().hand_out(block, request, size, caller);
    }

    [[gnu::noinline]] void flush_and_push(Magazine& m, usize index, void* block) {
        flush(m, index);
        set_next(block, nullptr);
        m.head = block;
        set_count(m, 1);
    }

    // The whole magazine to the depot in one step, or, when the depot has
    // no room for the class, back to the slabs; the lock taken once per
    // capacity's worth of frees.
    void flush(Magazine& m, usize index) {
        void* chain = m.head;
        const u32 count = m.count;
        m.head = nullptr;
        set_count(m, 0);
        core_.with([&](Heap& heap) {
            if (!depot_.put(index, chain, count)) heap.give(index, chain, count);
        });
    }

    [[nodiscard]] u64 cached_blocks(usize index) const {
        u64 blocks = 0;
        for (u32 i = 0; i < Platform::cpu_count(); ++i) {
            const CpuCache& cpu = Platform::cache(i);
            blocks += __atomic_load_n(&cpu.classes[index].count, __ATOMIC_RELAXED) +
                      __atomic_load_n(&cpu.classes[index].stock_count, __ATOMIC_RELAXED);
        }
        return blocks + depot_.blocks(index);
    }

    Locked<Heap, Lock, Guard> core_;
    HeapDepot depot_;  // under core_'s lock: reached only inside core_.with()
};

}  // namespace kernel::mm
