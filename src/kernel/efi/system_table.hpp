// The UEFI system table's header and firmware fields (UEFI 2.10, 4.3
// "EFI System Table" and 4.2 "EFI Table Header"), which the loader's tag
// points at (Multiboot2 types 11 and 12). Hardware-independent, host-tested:
// the kernel maps the table read-only and hands its bytes here
// (init/efi.cpp). Nothing calls the firmware's services: after GRUB's
// ExitBootServices only the runtime ones would be left, and Keel needs none.
#pragma once

#include "lib/ktl/span.hpp"
#include "lib/ktl/string_view.hpp"
#include "lib/ktl/types.hpp"
#include "lib/result.hpp"

namespace kernel::efi {

// "IBI SYST", the header's signature.
inline constexpr u64 kSystemTableSignature = 0x5453'5953'2049'4249ULL;
// The bytes read: the header and the fields up to FirmwareRevision, and
// enough of what follows that a header size within it is checked whole.
inline constexpr usize kSystemTableBytes = 120;  // a 64-bit table's size (UEFI 2.x)

struct SystemTable {
    u32 revision;         // major << 16 | minor: 2.70 is 0x00020046
    u32 header_size;      // the bytes the CRC covers
    bool crc_ok;          // the header's CRC32 matches those bytes
    u64 firmware_vendor;  // physical address of a NUL-terminated UCS-2 string
    u32 firmware_revision;
};

enum class SystemTableError : u8 {
    TooShort,       // fewer bytes than the header and firmware fields
    BadSignature,   // not "IBI SYST"
    BadHeaderSize,  // smaller than the fields read, or larger than the bytes given
};
[[nodiscard]] ktl::string_view describe(SystemTableError error);

// The table in `bytes` (kSystemTableBytes of them, or as many as the header
// size says), 64-bit (pointers 8 bytes) or 32-bit layout.
[[nodiscard]] Result<SystemTable, SystemTableError> parse_system_table(ktl::span<const u8> bytes,
                                                                       bool is_64);

// The revision as Linux prints it: "2.70" for 0x00020046, "2.31" (2.3.1)
// for 0x0002001F, "1.10" for 0x0001000A.
struct RevisionText {
    char chars[16];
    [[nodiscard]] ktl::string_view view() const;
};
[[nodiscard]] RevisionText revision_text(u32 revision);

// The vendor string's first characters as ASCII (anything else, '?'),
// up to its NUL, the end of `ucs2` or `out`'s room; returns the count.
[[nodiscard]] usize vendor_text(ktl::span<const u8> ucs2, ktl::span<char> out);

// The CRC-32 the UEFI table headers use (IEEE 802.3, reflected, the one
// zlib computes) of `bytes`, with the four at `zeroed` counted as zero.
[[nodiscard]] u32 crc32(ktl::span<const u8> bytes, usize zeroed = ~usize{0});

}  // namespace kernel::efi
