// The Multiboot2 boot-information parser: validates the whole structure and
// copies what the kernel keeps into a BootInfo.
//
// Usage (early boot):
//     auto total = peek_total_size({mbi_ptr, 8});   // after mapping 8 bytes
//     ...map `*total` bytes...
//     ParseResult r = parse({mbi_ptr, *total}, mbi_phys, boot_info);
//     if (!r.ok()) panic(describe(r.error), r.tag_offset, r.tag_type);
#pragma once

#include "boot/multiboot2/boot_info.hpp"
#include "boot/multiboot2/error.hpp"
#include "boot/multiboot2/tag_walker.hpp"
#include "lib/ktl/span.hpp"
#include "lib/ktl/types.hpp"

namespace boot::multiboot2 {

// Parses the MBI in `mbi` (at least total_size bytes; more is fine), whose
// physical address is `mbi_phys` (it must be 8-byte aligned; addresses of
// data left in the MBI are computed from it). `out` is cleared first. On
// failure the result names the error and, for tag errors, the tag's offset
// and type; `out` then holds a partial decode and must not be used. Nothing
// outside `mbi` is read whatever its contents.
[[nodiscard]] ParseResult parse(ktl::span<const u8> mbi, u64 mbi_phys, BootInfo& out);

// As above, with the MBI identity-mapped: its address is `mbi.data()`.
[[nodiscard]] ParseResult parse(ktl::span<const u8> mbi, BootInfo& out);

}  // namespace boot::multiboot2
