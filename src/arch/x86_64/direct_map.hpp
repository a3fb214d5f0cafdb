// Physical memory as the kernel reaches it. Until the kernel's own page
// tables exist (paging.cpp), the boot tables map physical 0..4 GiB 1:1, so a
// physical address below 4 GiB is also its virtual address.
#pragma once

#include "kernel/lib/ktl/types.hpp"

namespace arch {

// The highest physical address (exclusive) reachable through phys_to_virt.
inline constexpr u64 kDirectMapLimit = 4ULL << 30;

[[nodiscard]] inline bool directly_mapped(u64 phys, u64 size) {
    return phys < kDirectMapLimit && size <= kDirectMapLimit - phys;
}

template <typename T = u8>
[[nodiscard]] inline T* phys_to_virt(u64 phys) {
    return reinterpret_cast<T*>(static_cast<uptr>(phys));
}

}  // namespace arch
