// What the kernel keeps from the Multiboot2 boot information: plain copies,
// so the MBI's memory can be reused once the loader regions are no longer
// needed. Addresses of data left inside the MBI (ELF section headers, SMBIOS
// tables, RSDP copies, the EFI memory map, DHCP ack) are physical addresses
// computed from the MBI's physical address given to parse().
//
// All-zero is the empty state (nothing present), which is what clear() sets.
#pragma once

#include "boot/multiboot2/layout.hpp"
#include "boot/multiboot2/memory_map.hpp"
#include "boot/params.hpp"
#include "lib/ktl/fixed_string.hpp"
#include "lib/ktl/optional.hpp"
#include "lib/ktl/span.hpp"
#include "lib/ktl/type_traits.hpp"
#include "lib/ktl/types.hpp"

namespace boot::multiboot2 {

struct Module {
    u64 start;
    u64 end;  // One past the last byte (GRUB: mod_start + size).
    ktl::FixedString<128> cmdline;

    [[nodiscard]] constexpr u64 size() const { return end - start; }
};

struct BasicMeminfo {
    bool present;
    u32 mem_lower_kib;  // Below 1 MiB.
    u32 mem_upper_kib;  // From 1 MiB to the first memory hole.
};

struct BootDevice {
    bool present;
    u32 biosdev;        // BIOS drive number, e.g. 0x80.
    u32 partition;      // "slice" in the spec: top-level partition, or ~0.
    u32 sub_partition;  // "part": sub-partition, or ~0.
};

struct Vbe {
    bool present;
    u16 mode;
    u16 interface_seg;
    u16 interface_off;
    u16 interface_len;
};

struct Framebuffer {
    bool present;
    FramebufferType type;
    u8 bpp;
    u64 address;
    u32 pitch;  // Bytes per line.
    u32 width;  // Pixels, or characters for EGA text.
    u32 height;
    FramebufferRgb rgb;  // Type Rgb only.
    u16 palette_colors;  // Type Indexed only.
    u64 palette_phys;    // Type Indexed only: the 3-byte entries in the MBI.
};

struct ElfSections {
    bool present;
    u32 num;
    u32 entsize;
    u32 shndx;  // Index of the section-name string table.
    // The section header table GRUB copied into the tag (num * entsize
    // bytes), used later to find .symtab/.strtab; it lives in the MBI.
    u64 headers_phys;
    u32 headers_size;
};

struct Apm {
    bool present;
    u16 version;
    u16 cseg;
    u32 offset;
    u16 cseg_16;
    u16 dseg;
    u16 flags;
    u16 cseg_len;
    u16 cseg_16_len;
    u16 dseg_len;
};

struct Smbios {
    bool present;
    u8 major;
    u8 minor;
    u64 tables_phys;  // The loader's copy of the tables, inside the MBI.
    u32 tables_size;
};

struct Rsdp {
    static constexpr usize kMaxCopy = sizeof(RsdpV2);

    bool present;
    u8 revision;         // From the RSDP: 0 for ACPI 1.0, 2 for 2.0 and later.
    char oem_id[7];      // NUL-terminated.
    u32 length;          // 20 for the old tag; the RSDP's length field for the new.
    u8 bytes[kMaxCopy];  // The first min(length, 36) bytes of the RSDP.
    u64 phys;            // The loader's copy of the RSDP, inside the MBI.
};

struct Network {
    u32 count;  // Number of type-16 tags; one per interface with a DHCP ack.
    u64 first_dhcp_ack_phys;
    u32 first_dhcp_ack_size;
};

struct EfiMemoryMap {
    bool present;
    u32 descriptor_size;
    u32 descriptor_version;
    u32 count;
    u64 phys;  // The descriptors, inside the MBI.
    u32 size;  // count * descriptor_size.
};

struct UnknownTag {
    u32 type;
    u32 offset;  // In the MBI.
};

// Memory the bootloader placed that allocators must not hand out while it
// is still needed (the kernel image range is added by the kernel itself).
enum class LoaderRegionKind : u8 {
    BootInformation,
    Module,
};

struct LoaderRegion {
    u64 base;
    u64 length;
    LoaderRegionKind kind;
};

struct BootInfo {
    static constexpr usize kMaxModules = BootParams::kMaxModules;
    static constexpr usize kMaxUnknownTags = 16;
    static constexpr usize kMaxLoaderRegions = 1 + kMaxModules;

    u64 mbi_phys{};
    u32 mbi_size{};  // total_size.

    bool has_cmdline{};
    ktl::FixedString<1024> cmdline{};
    bool has_bootloader_name{};
    ktl::FixedString<128> bootloader_name{};

    Module modules[kMaxModules]{};
    u32 module_count{};
    UntrackedModules untracked_modules{};

    BasicMeminfo basic_meminfo{};
    BootDevice boot_device{};
    MemoryMap memory_map{};
    Vbe vbe{};
    Framebuffer framebuffer{};
    ElfSections elf_sections{};
    Apm apm{};
    ktl::optional<u32> efi32_system_table;
    ktl::optional<u64> efi64_system_table;
    Smbios smbios{};
    Rsdp acpi_old{};  // Type 14: RSDP v1.
    Rsdp acpi_new{};  // Type 15: RSDP v2+.
    Network network{};
    EfiMemoryMap efi_memory_map{};
    bool efi_boot_services_not_terminated{};
    ktl::optional<u32> efi32_image_handle;
    ktl::optional<u64> efi64_image_handle;
    ktl::optional<u32> load_base_addr;  // Physical load address of the image.

    UnknownTag unknown_tags[kMaxUnknownTags]{};
    u32 unknown_tag_count{};
    u32 unknown_tags_dropped{};  // Beyond kMaxUnknownTags.
    u32 duplicate_tags{};        // Repeated single-instance tags; the last one wins.

    LoaderRegion loader_regions[kMaxLoaderRegions]{};
    u32 loader_region_count{};

    void clear() { __builtin_memset(static_cast<void*>(this), 0, sizeof(*this)); }

    [[nodiscard]] u64 usable_bytes() const { return memory_map.usable_bytes(); }
    [[nodiscard]] ktl::span<const Module> module_list() const { return {modules, module_count}; }
    [[nodiscard]] ktl::span<const UnknownTag> unknown_tag_list() const {
        return {unknown_tags, unknown_tag_count};
    }
    [[nodiscard]] ktl::span<const LoaderRegion> loader_region_list() const {
        return {loader_regions, loader_region_count};
    }
};

// clear() relies on this: an all-zero BootInfo is a valid, empty one.
static_assert(ktl::is_trivially_copyable_v<BootInfo>);

}  // namespace boot::multiboot2

namespace boot::multiboot2 {

// "command line", "memory map", ... for logs; "unknown" for other numbers.
[[nodiscard]] ktl::string_view tag_name(u32 type);
// "boot information" or "module".
[[nodiscard]] ktl::string_view kind_name(LoaderRegionKind kind);

}  // namespace boot::multiboot2
