// Why a boot-information structure was rejected, in words the kernel can
// print as-is, plus where in the MBI the problem was found.
#pragma once

#include "lib/ktl/string_view.hpp"
#include "lib/ktl/types.hpp"

namespace boot::multiboot2 {

enum class Error : u8 {
    None = 0,
    // The MBI as a whole.
    Misaligned,
    AddressWraps,
    HeaderTruncated,
    TotalSizeTooSmall,
    TotalSizeExceedsBuffer,
    // The tag sequence.
    TagHeaderTruncated,
    TagSizeTooSmall,
    TagOverrunsInfo,
    EndTagBadSize,
    MissingEnd,
    // One tag's contents.
    TagTooShort,
    UnterminatedString,
    ModuleEndBeforeStart,
    MmapEntrySizeInvalid,
    MmapPartialEntry,
    MmapRegionWraps,
    ElfEntsizeInvalid,
    ElfSectionsOverrun,
    ElfShndxOutOfRange,
    FramebufferTypeUnknown,
    FramebufferColorInfoTruncated,
    FramebufferRgbFieldInvalid,
    RsdpTooShort,
    RsdpBadSignature,
    RsdpLengthInvalid,
    EfiMmapDescriptorSizeInvalid,
    EfiMmapVersionUnsupported,
    EfiMmapPartialEntry,
};

// A plain-English sentence, e.g. "boot information has no END tag".
[[nodiscard]] ktl::string_view describe(Error error);

struct ParseResult {
    // Marks header-level errors, which belong to no tag.
    static constexpr u32 kNoTag = 0xffffffff;

    Error error = Error::None;
    u32 tag_offset = 0;     // Byte offset of the offending tag in the MBI.
    u32 tag_type = kNoTag;  // Its type, or kNoTag.

    [[nodiscard]] constexpr bool ok() const { return error == Error::None; }
    [[nodiscard]] constexpr bool has_tag() const { return tag_type != kNoTag; }
};

}  // namespace boot::multiboot2
