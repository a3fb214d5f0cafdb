// The heap's per-CPU front end: for each CPU and size class, a magazine of
// free blocks (a chain through their first word and a count) that the CPU
// allocates from and frees into without the heap's lock. Only its own CPU
// touches a magazine, and only with interrupts off there, so an interrupt
// handler that allocates cannot land in the middle of a push or pop: the
// magazine's owner is its CPU, and interrupts off is its lock. An empty
// magazine takes half its capacity from the locked core in one go; a full
// one goes back whole. Large blocks and aligned requests above 64 B go
// straight to the core. Design: docs/memory-allocators.md, "Per-CPU caches".
//
// Hardware-independent: `Platform` says which CPU runs and how interrupts
// go off. The kernel's uses smp::current_index() and InterruptSaveGuard
// (kernel/mm/kernel_heap.cpp); the host tests and the benchmark give each
// thread a CPU slot of its own.
//
//   struct Platform {
//       static constexpr u32 kMaxCpus;  // cpu_index() is below this
//       class InterruptGuard;           // interrupts off on this CPU for its scope
//       static u32 cpu_index();         // called with interrupts off
//   };
#pragma once

#include "kernel/mm/heap.hpp"
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

template <typename Platform, typename Lock, typename Guard = ScopedLock<Lock>>
class CachedHeap {
public:
    void init(PageProvider& pages, HeapErrorHandler on_error, void* error_context = nullptr) {
        core_.unlocked().init(pages, on_error, error_context);
        for (CpuCache& cpu : cpus_) cpu = {};
    }

    // As Heap::allocate and Heap::free, from any CPU, with interrupts on or off.
    [[nodiscard]] __attribute__((noinline)) void* allocate(usize size, usize align = 16,
                                                           const void* caller = nullptr) {
        if (caller == nullptr) caller = __builtin_return_address(0);
        SmallRequest request{};
        if (!Heap::small_request(size, align, request))
            return core_.with([&](Heap& heap) { return heap.allocate(size, align, caller); });
        void* block = nullptr;
        {
            [[maybe_unused]] const typename Platform::InterruptGuard interrupts_off;
            Magazine& m = cpus_[Platform::cpu_index()].classes[request.index];
            block = m.head;
            if (block != nullptr) {
                m.head = next(block);
                set_count(m, m.count - 1);
            } else {
                block = refill(m, request.index);
            }
        }
        if (block == nullptr) return nullptr;
        // The block is the caller's now: its checks need no lock, and a
        // report (a panic in the kernel) comes with interrupts as they were.
        return core_.unlocked().hand_out(block, request, size, caller);
    }

    __attribute__((noinline)) void free(void* block, const void* caller = nullptr) {
        if (block == nullptr) return;
        if (caller == nullptr) caller = __builtin_return_address(0);
        usize index = 0;
        switch (core_.unlocked().prepare_free(block, index, caller)) {
            case FreeKind::Rejected:
                return;
            case FreeKind::Other:
                core_.with([&](Heap& heap) { heap.free(block, caller); });
                return;
            case FreeKind::Small:
                break;
        }
        [[maybe_unused]] const typename Platform::InterruptGuard interrupts_off;
        Magazine& m = cpus_[Platform::cpu_index()].classes[index];
        if (m.count == magazine_capacity(index)) flush(m, index);
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

    // Bytes in every CPU's magazines: a snapshot, exact only while no
    // other CPU allocates or frees.
    [[nodiscard]] u64 cached_bytes() const {
        u64 bytes = 0;
        for (usize c = 0; c < kHeapClassCount; ++c) bytes += cached_blocks(c) * kHeapClassSizes[c];
        return bytes;
    }

    // Gives every block this CPU caches back to the core (whose empty
    // slabs then go back to the page provider). For running out of memory,
    // and for a thread about to stop using its CPU slot (host tests).
    void drain_this_cpu() {
        [[maybe_unused]] const typename Platform::InterruptGuard interrupts_off;
        CpuCache& cpu = cpus_[Platform::cpu_index()];
        for (usize c = 0; c < kHeapClassCount; ++c)
            if (cpu.classes[c].count != 0) flush(cpu.classes[c], c);
    }

    // The core behind its lock (tests, and statistics without the caches).
    Locked<Heap, Lock, Guard>& core() { return core_; }

private:
    struct Magazine {
        void* head = nullptr;
        u32 count = 0;  // written by the owner; read by stats() on any CPU
    };
    // A cache line or more per CPU: one CPU's pushes never invalidate
    // another's magazines.
    struct alignas(64) CpuCache {
        Magazine classes[kHeapClassCount];
    };

    static void* next(void* block) {
        void* n = nullptr;
        __builtin_memcpy(&n, block, sizeof n);
        return n;
    }
    static void set_next(void* block, void* n) { __builtin_memcpy(block, &n, sizeof n); }
    static void set_count(Magazine& m, u32 count) {
        __atomic_store_n(&m.count, count, __ATOMIC_RELAXED);
    }

    // An empty magazine: half its capacity from the core; one block is the
    // caller's, the rest stay.
    void* refill(Magazine& m, usize index) {
        usize got = 0;
        void* chain = core_.with(
            [&](Heap& heap) { return heap.take(index, magazine_capacity(index) / 2, got); });
        if (chain == nullptr) return nullptr;
        m.head = next(chain);
        set_count(m, static_cast<u32>(got - 1));
        return chain;
    }

    // The whole magazine back to the core in one go: no walk to split the
    // chain, and the lock taken once per capacity's worth of frees.
    void flush(Magazine& m, usize index) {
        void* chain = m.head;
        const u32 count = m.count;
        m.head = nullptr;
        set_count(m, 0);
        core_.with([&](Heap& heap) { heap.give(index, chain, count); });
    }

    [[nodiscard]] u64 cached_blocks(usize index) const {
        u64 blocks = 0;
        for (const CpuCache& cpu : cpus_)
            blocks += __atomic_load_n(&cpu.classes[index].count, __ATOMIC_RELAXED);
        return blocks;
    }

    Locked<Heap, Lock, Guard> core_;
    CpuCache cpus_[Platform::kMaxCpus];
};

}  // namespace kernel::mm
