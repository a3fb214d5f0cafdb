// Per-tag decoders used by parse(): each takes one whole tag (its 8-byte
// header included, exactly `size` bytes, so every read is bounds-checked
// against the tag itself) and fills its part of BootInfo. Internal to the
// multiboot2 parser.
#pragma once

#include "boot/multiboot2/boot_info.hpp"
#include "boot/multiboot2/error.hpp"
#include "boot/multiboot2/tag_walker.hpp"
#include "lib/ktl/types.hpp"

namespace boot::multiboot2::detail {

// Physical address of byte `offset_in_tag` of `tag`, for data left in the MBI.
[[nodiscard]] constexpr u64 phys_of(const BootInfo& info, const Tag& tag, usize offset_in_tag) {
    return info.mbi_phys + tag.offset + offset_in_tag;
}

// decode_simple.cpp: strings, modules and tags of fixed fields only.
[[nodiscard]] Error decode_cmdline(const Tag& tag, BootInfo& out);
[[nodiscard]] Error decode_bootloader_name(const Tag& tag, BootInfo& out);
[[nodiscard]] Error decode_module(const Tag& tag, BootInfo& out);
[[nodiscard]] Error decode_basic_meminfo(const Tag& tag, BootInfo& out);
[[nodiscard]] Error decode_boot_device(const Tag& tag, BootInfo& out);
[[nodiscard]] Error decode_vbe(const Tag& tag, BootInfo& out);
[[nodiscard]] Error decode_apm(const Tag& tag, BootInfo& out);
// Types 11, 19 and 21 (a u32 after the header) and 12 and 20 (a u64).
[[nodiscard]] Error decode_u32(const Tag& tag, ktl::optional<u32>& out);
[[nodiscard]] Error decode_u64(const Tag& tag, ktl::optional<u64>& out);

// decode_tables.cpp: tags carrying variable-length tables.
[[nodiscard]] Error decode_framebuffer(const Tag& tag, BootInfo& out);
[[nodiscard]] Error decode_elf_sections(const Tag& tag, BootInfo& out);
[[nodiscard]] Error decode_smbios(const Tag& tag, BootInfo& out);
[[nodiscard]] Error decode_rsdp(const Tag& tag, BootInfo& out);
[[nodiscard]] Error decode_network(const Tag& tag, BootInfo& out);
[[nodiscard]] Error decode_efi_memory_map(const Tag& tag, BootInfo& out);

}  // namespace boot::multiboot2::detail
