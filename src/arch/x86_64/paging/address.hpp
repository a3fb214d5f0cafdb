// Page sizes and the index math of x86_64 4-level paging (Intel SDM Vol. 3A,
// 4.5 "4-Level Paging and 5-Level Paging"). Hardware-independent: the host
// tests compile it as-is.
//
// Levels are numbered as in the SDM: 4 = PML4, 3 = PDPT, 2 = PD, 1 = PT.
// A virtual address is split into four 9-bit table indices and a 12-bit
// page offset:
//
//   63      48 47     39 38     30 29     21 20     12 11          0
//   [sign ext] [ PML4  ] [ PDPT  ] [  PD   ] [  PT   ] [  offset   ]
#pragma once

#include "arch/x86_64/bits.h"
#include "lib/address.hpp"
#include "lib/ktl/types.hpp"
#include "lib/units.hpp"

namespace arch::paging {

inline constexpr u32 kLevels = 4;
inline constexpr u32 kEntriesPerTable = 512;
inline constexpr u32 kIndexBits = 9;
// kPageShift and kPageSize come from lib/units.hpp; the assembly's copies
// in bits.h must agree.
static_assert(PAGE_SIZE == kPageSize && PAGE_TABLE_ENTRIES == kEntriesPerTable);
static_assert(LARGE_PAGE_SIZE == 2 * kMiB && HUGE_PAGE_SIZE == kGiB);
// Bits of a linear address that 4-level paging translates; 63:48 must copy
// bit 47 ("canonical", SDM Vol. 1, 3.3.7.1).
inline constexpr u32 kVirtualBits = 48;
// MAXPHYADDR is at most 52 (SDM Vol. 3A, 4.1.4); entries hold bits 51:12.
inline constexpr u32 kPhysicalBits = 52;
inline constexpr u64 kPhysicalLimit = 1ULL << kPhysicalBits;

// The bit where a level's index starts: 12 for the PT, 21 PD, 30 PDPT, 39 PML4.
[[nodiscard]] constexpr u32 level_shift(u32 level) { return kPageShift + kIndexBits * (level - 1); }
// The bytes one entry at `level` covers: 4 KiB, 2 MiB, 1 GiB, 512 GiB.
[[nodiscard]] constexpr u64 level_span(u32 level) { return 1ULL << level_shift(level); }

// The page sizes 4-level paging can map: a PTE, a PDE with PS=1, a PDPTE with PS=1.
enum class PageSize : u8 { Size4K, Size2M, Size1G };

// The level whose entry maps a page of this size: 1, 2 or 3.
[[nodiscard]] constexpr u32 leaf_level(PageSize size) { return static_cast<u32>(size) + 1; }
[[nodiscard]] constexpr u64 page_bytes(PageSize size) { return level_span(leaf_level(size)); }
[[nodiscard]] constexpr PageSize page_size_at(u32 level) {
    return static_cast<PageSize>(level - 1);
}
// "4 KiB", "2 MiB" or "1 GiB", for logs.
[[nodiscard]] constexpr const char* page_size_name(PageSize size) {
    switch (size) {
        case PageSize::Size4K:
            return "4 KiB";
        case PageSize::Size2M:
            return "2 MiB";
        case PageSize::Size1G:
            return "1 GiB";
    }
    return "?";
}

// The index math on the kernel-wide address types (lib/address.hpp), as
// free functions: what an address means to 4-level paging is the
// architecture's business, not the address's.

// Within what page-table entries can address (below 2^52).
[[nodiscard]] constexpr bool is_addressable(PhysAddr phys) { return phys.value() < kPhysicalLimit; }

// Copies bit 47 into bits 63:48.
[[nodiscard]] constexpr u64 sign_extend(u64 v) {
    constexpr u32 unused = 64 - kVirtualBits;
    return static_cast<u64>(static_cast<i64>(v << unused) >> unused);
}
[[nodiscard]] constexpr bool is_canonical(VirtAddr virt) {
    return sign_extend(virt.value()) == virt.value();
}

// The canonical address with these indices (PML4 index >= 256 lands in the
// upper half, 0xFFFF8000'00000000 and above).
[[nodiscard]] constexpr VirtAddr virt_from_indices(u32 pml4, u32 pdpt, u32 pd, u32 pt,
                                                   u32 offset = 0) {
    u64 v = (static_cast<u64>(pml4 & 511) << level_shift(4)) |
            (static_cast<u64>(pdpt & 511) << level_shift(3)) |
            (static_cast<u64>(pd & 511) << level_shift(2)) |
            (static_cast<u64>(pt & 511) << level_shift(1)) | (offset & (kPageSize - 1));
    return VirtAddr{sign_extend(v)};
}

// The 9-bit index into the table at `level` (1..4).
[[nodiscard]] constexpr u32 table_index(VirtAddr virt, u32 level) {
    return static_cast<u32>(virt.value() >> level_shift(level)) & (kEntriesPerTable - 1);
}
[[nodiscard]] constexpr u32 pml4_index(VirtAddr virt) { return table_index(virt, 4); }
[[nodiscard]] constexpr u32 pdpt_index(VirtAddr virt) { return table_index(virt, 3); }
[[nodiscard]] constexpr u32 pd_index(VirtAddr virt) { return table_index(virt, 2); }
[[nodiscard]] constexpr u32 pt_index(VirtAddr virt) { return table_index(virt, 1); }
// The offset of `virt` inside its page of `size`.
[[nodiscard]] constexpr u64 page_offset(VirtAddr virt, PageSize size = PageSize::Size4K) {
    return virt.value() & (page_bytes(size) - 1);
}

}  // namespace arch::paging
