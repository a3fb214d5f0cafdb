// Keel's Page Attribute Table layout and how a cache type is encoded in a
// page-table entry (SDM Vol. 3A, 13.12 "Page Attribute Table").
//
// A leaf's PAT, PCD and PWT bits form a 3-bit index (PAT*4 + PCD*2 + PWT)
// into the IA32_PAT MSR, whose byte i holds entry i's memory type. Keel
// keeps entries 0-3 at their power-on values, so an entry with only PCD/PWT
// set (the boot tables, firmware habits) means what it always meant, and
// puts write-combining in entry 4, which no entry selects before Keel
// programs the MSR (no leaf sets the PAT bit until then):
//
//   index  PAT PCD PWT  type
//     0     0   0   0   WB   write-back       (power-on)
//     1     0   0   1   WT   write-through    (power-on)
//     2     0   1   0   UC-  uncached-minus   (power-on)
//     3     0   1   1   UC   uncached         (power-on)
//     4     1   0   0   WC   write-combining  (power-on: WB)
//     5     1   0   1   WT                    (power-on)
//     6     1   1   0   UC-                   (power-on)
//     7     1   1   1   UC                    (power-on)
//
// Hardware-independent: the host tests compile it as-is.
#pragma once

#include "arch/x86_64/bits.h"
#include "arch/x86_64/paging/entry.hpp"
#include "lib/ktl/optional.hpp"
#include "lib/vm.hpp"

namespace arch::paging {

inline constexpr u8 kPatLayout[8] = {PAT_TYPE_WB, PAT_TYPE_WT, PAT_TYPE_UC_MINUS, PAT_TYPE_UC,
                                     PAT_TYPE_WC, PAT_TYPE_WT, PAT_TYPE_UC_MINUS, PAT_TYPE_UC};
// What the CPU holds after reset (SDM Vol. 3A, table 13-12).
inline constexpr u64 kPatPowerOn = 0x0007'0406'0007'0406ULL;
inline constexpr u32 kPatWriteCombiningIndex = 4;

// The IA32_PAT value of the layout above.
[[nodiscard]] constexpr u64 pat_msr_value() {
    u64 value = 0;
    for (u32 i = 0; i < 8; ++i) value |= static_cast<u64>(kPatLayout[i]) << (8 * i);
    return value;
}
static_assert(pat_msr_value() == 0x0007'0401'0007'0406ULL);
static_assert((pat_msr_value() & 0xFFFF'FFFF) == (kPatPowerOn & 0xFFFF'FFFF),
              "entries 0-3 keep their power-on types");

// The PAT entry a cache type uses.
[[nodiscard]] constexpr u32 pat_index(CacheType type) {
    switch (type) {
        case CacheType::WriteBack:
            return 0;
        case CacheType::WriteThrough:
            return 1;
        case CacheType::UncachedMinus:
            return 2;
        case CacheType::Uncached:
            return 3;
        case CacheType::WriteCombining:
            return kPatWriteCombiningIndex;
    }
    return 3;  // unreachable; uncached is the safe answer
}

// The PWT/PCD/PAT flags that select a PAT index.
[[nodiscard]] constexpr PageFlags pat_index_flags(u32 index) {
    PageFlags f = PageFlags::None;
    if ((index & 1) != 0) f = f | PageFlags::WriteThrough;
    if ((index & 2) != 0) f = f | PageFlags::CacheDisable;
    if ((index & 4) != 0) f = f | PageFlags::Pat;
    return f;
}
[[nodiscard]] constexpr PageFlags cache_flags(CacheType type) {
    return pat_index_flags(pat_index(type));
}

// The index an entry's flags select.
[[nodiscard]] constexpr u32 pat_index_of(PageFlags flags) {
    return (has(flags, PageFlags::WriteThrough) ? 1U : 0U) |
           (has(flags, PageFlags::CacheDisable) ? 2U : 0U) | (has(flags, PageFlags::Pat) ? 4U : 0U);
}

// The cache type an entry's flags select under Keel's layout.
[[nodiscard]] constexpr CacheType cache_type_of(PageFlags flags) {
    switch (kPatLayout[pat_index_of(flags)]) {
        case PAT_TYPE_WB:
            return CacheType::WriteBack;
        case PAT_TYPE_WT:
            return CacheType::WriteThrough;
        case PAT_TYPE_UC_MINUS:
            return CacheType::UncachedMinus;
        case PAT_TYPE_WC:
            return CacheType::WriteCombining;
        default:
            return CacheType::Uncached;
    }
}

// "WB", "WC"... for the layout's log line.
[[nodiscard]] constexpr const char* pat_type_mnemonic(u8 type) {
    switch (type) {
        case PAT_TYPE_UC:
            return "UC";
        case PAT_TYPE_WC:
            return "WC";
        case PAT_TYPE_WT:
            return "WT";
        case PAT_TYPE_WP:
            return "WP";
        case PAT_TYPE_WB:
            return "WB";
        case PAT_TYPE_UC_MINUS:
            return "UC-";
    }
    return "??";
}

}  // namespace arch::paging
