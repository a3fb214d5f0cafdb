// Why a PVH start-of-day structure (hvm_start_info) was rejected, in words
// the kernel can print as-is.
#pragma once

#include "lib/ktl/string_view.hpp"
#include "lib/ktl/types.hpp"

namespace boot::pvh {

enum class Error : u8 {
    None = 0,
    InfoUnreadable,
    BadMagic,
    TooManyModules,
    ModuleListMissing,
    ModuleListUnreadable,
    ModuleAtZero,
    ModuleWraps,
    ModuleNameUnreadable,
    ModuleNameUnterminated,
    CmdlineUnreadable,
    CmdlineUnterminated,
    TooManyMemoryRegions,
    MemoryMapMissing,
    MemoryMapUnreadable,
    MemoryRegionWraps,
    RsdpUnreadable,
    RsdpBadSignature,
};

// A plain-English sentence, e.g. "hvm_start_info has the wrong magic".
[[nodiscard]] ktl::string_view describe(Error error);

struct DecodeResult {
    static constexpr u32 kNoEntry = 0xffffffff;

    Error error = Error::None;
    u32 entry = kNoEntry;  // the module or memory-map entry at fault, if any
    u64 address = 0;       // the physical address that was bad, if any

    [[nodiscard]] constexpr bool ok() const { return error == Error::None; }
    [[nodiscard]] constexpr bool has_entry() const { return entry != kNoEntry; }
};

}  // namespace boot::pvh
