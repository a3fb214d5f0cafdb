// Physical memory as the kernel reaches it (see docs/memory.md).
//
// Two modes:
//   early  (before arch::paging::init): the boot tables map physical
//          0..4 GiB 1:1, so a physical address below 4 GiB is also its
//          virtual address;
//   final  (after it): the direct map, physical P at kDirectMapBase + P, for
//          exactly the ranges paging::init mapped: every region of the
//          memory map (all types), the boot information and modules, and
//          the framebuffer, rounded out to 4 KiB.
//
// phys_to_virt() only computes an address; directly_mapped() says whether
// it is really mapped. Check it for any address that did not come from
// RAM the kernel already knows to be mapped.
#pragma once

#include "arch/x86_64/paging/range_set.hpp"
#include "kernel/lib/ktl/types.hpp"

namespace arch {

// PML4 entry 256: the first canonical upper-half address. Up to 64 TiB
// (PML4 entries 256..383) of physical memory fit below the next region.
inline constexpr u64 kDirectMapBase = 0xFFFF'8000'0000'0000ULL;
inline constexpr u64 kDirectMapMaxPhys = 64ULL << 40;
// What the boot tables map 1:1 before paging::init.
inline constexpr u64 kEarlyIdentityLimit = 4ULL << 30;

namespace direct_map_detail {
struct State {
    u64 offset;               // virtual - physical: 0 early, kDirectMapBase after
    const PhysRange* ranges;  // null while early
    usize count;
};
inline constinit State g_state{0, nullptr, 0};
}  // namespace direct_map_detail

// Switches to the final mode: called once by paging::init right after it
// loads its tables. `ranges` (sorted, disjoint) must stay valid forever.
inline void activate_direct_map(const PhysRange* ranges, usize count) {
    direct_map_detail::g_state = {kDirectMapBase, ranges, count};
}

[[nodiscard]] inline bool direct_map_active() {
    return direct_map_detail::g_state.ranges != nullptr;
}

// Whether [phys, phys + size) is reachable through phys_to_virt right now.
[[nodiscard]] inline bool directly_mapped(u64 phys, u64 size) {
    const auto& state = direct_map_detail::g_state;
    if (state.ranges == nullptr)
        return phys < kEarlyIdentityLimit && size <= kEarlyIdentityLimit - phys;
    u64 end = 0;
    if (__builtin_add_overflow(phys, size, &end)) return false;
    for (usize i = 0; i < state.count; ++i)
        if (state.ranges[i].base <= phys && end <= state.ranges[i].end) return true;
    return false;
}

template <typename T = u8>
[[nodiscard]] inline T* phys_to_virt(u64 phys) {
    return reinterpret_cast<T*>(static_cast<uptr>(phys + direct_map_detail::g_state.offset));
}

}  // namespace arch
