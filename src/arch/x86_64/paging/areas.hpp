// The kernel's virtual areas after the direct map's 64 TiB: one PML4 entry
// (512 GiB) each, so that no area can grow into the next
// (docs/virtual-memory.md, "The layout").
#pragma once

#include "lib/ktl/types.hpp"

namespace arch::paging {

inline constexpr u64 kAreaSize = u64{1} << 39;
// 384: device and firmware mappings (map_mmio, map_readonly; kernel_space.hpp).
inline constexpr u64 kMmioAreaBase = 0xFFFF'C000'0000'0000ULL;
inline constexpr u64 kMmioAreaSize = kAreaSize;
// 385: kernel stacks after boot (stack_area.hpp).
inline constexpr u64 kStackAreaBase = kMmioAreaBase + kAreaSize;
inline constexpr u64 kStackAreaSize = kAreaSize;
// 386: the heap's large blocks of mapped pages (heap_area.cpp).
inline constexpr u64 kHeapAreaBase = kStackAreaBase + kAreaSize;
inline constexpr u64 kHeapAreaSize = kAreaSize;

}  // namespace arch::paging
