// The depot behind the heap's per-CPU magazines (kernel/mm/heap_cache.hpp):
// full magazines kept whole, per size class, so that a CPU whose magazine
// fills hands it over in one step and a CPU whose magazine and stock are
// empty takes one back in one step, with no walk over the blocks and no
// slab bookkeeping. Only what does not fit goes back to the slabs. Bonwick's
// magazine layer has the same shape; design and bounds:
// docs/memory-allocators.md, "Per-CPU caches".
//
// Unlocked and hardware-independent: its owner holds the heap core's lock
// around every call except blocks() (a relaxed read, for statistics).
#pragma once

#include "kernel/mm/heap.hpp"
#include "lib/ktl/types.hpp"

namespace kernel::mm {

class HeapDepot {
public:
    // Chains a class keeps at most, and blocks: four slabs' worth (64 KiB),
    // so that all classes together hold at most 960 KiB, and only classes
    // whose blocks came back that many at once.
    static constexpr u32 kSlots = 32;
    [[nodiscard]] static constexpr u32 max_blocks(usize index) {
        return static_cast<u32>(4 * kHeapChunkBytes / kHeapClassSizes[index]);
    }

    // Keeps `count` blocks of class `index`, chained through their first
    // word; false (nothing kept) when the class's slots or blocks are used up.
    [[nodiscard]] bool put(usize index, void* chain, u32 count) {
        Class& c = classes_[index];
        if (c.used == kSlots || c.blocks + count > max_blocks(index)) return false;
        c.chains[c.used] = chain;
        c.counts[c.used] = count;
        ++c.used;
        set_blocks(c, c.blocks + count);
        return true;
    }

    // The chain put last (warmest), its length in `count`; null when none.
    [[nodiscard]] void* take(usize index, u32& count) {
        Class& c = classes_[index];
        if (c.used == 0) {
            count = 0;
            return nullptr;
        }
        --c.used;
        count = c.counts[c.used];
        set_blocks(c, c.blocks - count);
        return c.chains[c.used];
    }

    // Blocks kept in class `index`: exact under the owner's lock, a snapshot
    // without it.
    [[nodiscard]] u32 blocks(usize index) const {
        return __atomic_load_n(&classes_[index].blocks, __ATOMIC_RELAXED);
    }

private:
    struct Class {
        void* chains[kSlots]{};
        u32 counts[kSlots]{};
        u32 used = 0;
        u32 blocks = 0;
    };
    static void set_blocks(Class& c, u32 blocks) {
        __atomic_store_n(&c.blocks, blocks, __ATOMIC_RELAXED);
    }

    Class classes_[kHeapClassCount];
};

}  // namespace kernel::mm
