// The Multiboot2 boot-information (MBI) layouts as GRUB really writes them
// (GRUB's include/multiboot2.h and grub-core/loader/multiboot_mbi2.c), which
// differ from the specification text in two places: the ELF-sections tag
// holds three u32 fields (num, entsize, shndx), and the framebuffer tag's
// common part ends in a u16 `reserved` before the colour information.
//
// These structs document the byte layout and are only ever filled by copying
// bytes into them (see bytes.hpp): the MBI is never accessed through them in
// place, so neither alignment nor the tag's real size can cause UB.
#pragma once

#include "boot/multiboot2/protocol.h"
#include "lib/ktl/types.hpp"

namespace boot::multiboot2 {

// The value in EAX when a Multiboot2 loader enters the kernel.
inline constexpr u32 kBootloaderMagic = MB2_BOOTLOADER_MAGIC;
// The MBI itself and every tag in it start on an 8-byte boundary.
inline constexpr u32 kAlign = MB2_TAG_ALIGN;

// Tag type numbers (MULTIBOOT_TAG_TYPE_*): every type GRUB produces.
enum class TagType : u32 {
    End = MB2_TAG_END,
    Cmdline = 1,
    BootloaderName = 2,
    Module = 3,
    BasicMeminfo = 4,
    BootDevice = 5,
    Mmap = MB2_TAG_MMAP,
    Vbe = 7,
    Framebuffer = 8,
    ElfSections = 9,
    Apm = 10,
    Efi32 = 11,
    Efi64 = 12,
    Smbios = 13,
    AcpiOld = 14,
    AcpiNew = 15,
    Network = 16,
    EfiMmap = 17,
    EfiBootServices = 18,
    Efi32ImageHandle = 19,
    Efi64ImageHandle = 20,
    LoadBaseAddr = 21,
};

// The fixed 8-byte header in front of the tags.
struct InfoHeader {
    u32 total_size;  // Includes this header and the END tag.
    u32 reserved;    // Must be ignored.
};

struct TagHeader {
    u32 type;
    u32 size;  // Without the padding to the next 8-byte boundary.
};

// Types 1 and 2: a NUL-terminated string follows the header.
struct TagModule {
    TagHeader header;
    u32 mod_start;
    u32 mod_end;  // One past the last byte.
    // char cmdline[] (NUL-terminated) follows.
};

struct TagBasicMeminfo {
    TagHeader header;
    u32 mem_lower;  // KiB below 1 MiB.
    u32 mem_upper;  // KiB above 1 MiB up to the first hole.
};

struct TagBootDevice {
    TagHeader header;
    u32 biosdev;
    u32 slice;
    u32 part;
};

struct TagMmap {
    TagHeader header;
    u32 entry_size;  // A multiple of 8; at least sizeof(MmapEntry).
    u32 entry_version;
    // MmapEntry entries[] follow.
};

struct MmapEntry {
    u64 base_addr;
    u64 length;
    u32 type;
    u32 reserved;
};

// The trampoline reads the memory map by these offsets (protocol.h).
static_assert(sizeof(InfoHeader) == MB2_INFO_HEADER_SIZE);
static_assert(__builtin_offsetof(TagMmap, entry_size) == MB2_MMAP_ENTRY_SIZE_FIELD);
static_assert(sizeof(TagMmap) == MB2_MMAP_ENTRIES);
static_assert(__builtin_offsetof(MmapEntry, base_addr) == MB2_MMAP_BASE);
static_assert(__builtin_offsetof(MmapEntry, length) == MB2_MMAP_LENGTH);
static_assert(__builtin_offsetof(MmapEntry, type) == MB2_MMAP_TYPE);
static_assert(sizeof(MmapEntry) == MB2_MMAP_ENTRY_MIN_SIZE);

struct TagVbe {
    TagHeader header;
    u16 vbe_mode;
    u16 vbe_interface_seg;
    u16 vbe_interface_off;
    u16 vbe_interface_len;
    u8 vbe_control_info[512];
    u8 vbe_mode_info[256];
};

enum class FramebufferType : u8 {
    Indexed = 0,
    Rgb = 1,
    EgaText = 2,
};

struct TagFramebufferCommon {
    TagHeader header;
    u64 framebuffer_addr;
    u32 framebuffer_pitch;
    u32 framebuffer_width;
    u32 framebuffer_height;
    u8 framebuffer_bpp;
    u8 framebuffer_type;
    u16 reserved;
    // Indexed: u16 num_colors, then num_colors FramebufferColor entries.
    // RGB: FramebufferRgb. EGA text: nothing.
};

struct FramebufferColor {
    u8 red;
    u8 green;
    u8 blue;
};

struct FramebufferRgb {
    u8 red_field_position;
    u8 red_mask_size;
    u8 green_field_position;
    u8 green_mask_size;
    u8 blue_field_position;
    u8 blue_mask_size;
};

struct TagElfSections {
    TagHeader header;
    u32 num;
    u32 entsize;
    u32 shndx;
    // num section headers of entsize bytes each follow, at offset 20: not
    // 8-byte aligned, so they too must only be read by copying.
};

struct TagApm {
    TagHeader header;
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

// Types 11 (EFI32 system table), 19 (EFI32 image handle), 21 (load base).
struct TagU32 {
    TagHeader header;
    u32 value;
};

// Types 12 (EFI64 system table) and 20 (EFI64 image handle).
struct TagU64 {
    TagHeader header;
    u64 value;
};

struct TagSmbios {
    TagHeader header;
    u8 major;
    u8 minor;
    u8 reserved[6];
    // The SMBIOS tables follow.
};

// Types 14 and 15: the RSDP bytes follow the header (ACPI 6.5, 5.2.5.3).
struct RsdpV1 {
    char signature[8];  // "RSD PTR "
    u8 checksum;
    char oem_id[6];
    u8 revision;  // 0 for ACPI 1.0, 2 for ACPI 2.0 and later.
    u32 rsdt_address;
};

struct RsdpV2 {
    RsdpV1 v1;
    u32 length;  // Of the whole RSDP, from ACPI 2.0 on.
    u32 xsdt_address_low;
    u32 xsdt_address_high;  // Split: the field sits at offset 24 but the
                            // struct must stay 4-byte aligned to be 36 bytes.
    u8 extended_checksum;
    u8 reserved[3];
};

struct TagEfiMmap {
    TagHeader header;
    u32 descr_size;
    u32 descr_vers;
    // The EFI memory descriptors follow.
};

// UEFI 2.10, 7.2: EFI_MEMORY_DESCRIPTOR is 40 bytes; the firmware's stride
// (descr_size) may be larger, and EFI_MEMORY_DESCRIPTOR_VERSION is 1.
inline constexpr u32 kEfiMemoryDescriptorSize = 40;
inline constexpr u32 kEfiMemoryDescriptorVersion = 1;
// The smallest section header: Elf32_Shdr (Elf64_Shdr is 64 bytes).
inline constexpr u32 kElf32ShdrSize = 40;
inline constexpr u32 kElf64ShdrSize = 64;

static_assert(sizeof(InfoHeader) == 8);
static_assert(sizeof(TagHeader) == 8);
static_assert(sizeof(TagModule) == 16);
static_assert(sizeof(TagBasicMeminfo) == 16);
static_assert(sizeof(TagBootDevice) == 20);
static_assert(sizeof(TagMmap) == 16);
static_assert(sizeof(MmapEntry) == 24);
static_assert(sizeof(TagVbe) == 784);
static_assert(sizeof(TagFramebufferCommon) == 32);
static_assert(sizeof(FramebufferColor) == 3);
static_assert(sizeof(FramebufferRgb) == 6);
static_assert(sizeof(TagElfSections) == 20);
static_assert(sizeof(TagApm) == 28);
static_assert(sizeof(TagU32) == 12);
static_assert(sizeof(TagU64) == 16);
static_assert(sizeof(TagSmbios) == 16);
static_assert(sizeof(RsdpV1) == 20);
static_assert(sizeof(RsdpV2) == 36);
static_assert(__builtin_offsetof(RsdpV2, length) == 20);
static_assert(__builtin_offsetof(RsdpV2, xsdt_address_low) == 24);
static_assert(sizeof(TagEfiMmap) == 16);
static_assert(__builtin_offsetof(TagFramebufferCommon, framebuffer_bpp) == 28);
static_assert(__builtin_offsetof(TagApm, cseg_16) == 16);

}  // namespace boot::multiboot2
