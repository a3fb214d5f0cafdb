#include "boot/multiboot2/tag_decoders.hpp"

#include "boot/multiboot2/layout.hpp"
#include "lib/ktl/bit.hpp"

namespace boot::multiboot2::detail {
namespace {

// A colour field [position, position + size) must lie within the pixel.
bool field_fits(u8 position, u8 size, u8 bpp) { return static_cast<u32>(position) + size <= bpp; }

}  // namespace

Error decode_framebuffer(const Tag& tag, BootInfo& out) {
    TagFramebufferCommon common{};
    if (!load(tag.bytes, 0, common)) return Error::TagTooShort;

    Framebuffer fb{};
    fb.present = true;
    fb.type = static_cast<FramebufferType>(common.framebuffer_type);
    fb.bpp = common.framebuffer_bpp;
    fb.address = common.framebuffer_addr;
    fb.pitch = common.framebuffer_pitch;
    fb.width = common.framebuffer_width;
    fb.height = common.framebuffer_height;

    constexpr usize kColorInfo = sizeof(TagFramebufferCommon);
    switch (fb.type) {
        case FramebufferType::Indexed: {
            // u16 num_colors, then num_colors 3-byte entries (GRUB: size =
            // common + 2 + 3 * num_colors).
            u16 colors = 0;
            if (!load(tag.bytes, kColorInfo, colors)) return Error::FramebufferColorInfoTruncated;
            const usize palette = kColorInfo + sizeof(u16);
            if (!in_bounds(tag.bytes, palette, usize{colors} * sizeof(FramebufferColor)))
                return Error::FramebufferColorInfoTruncated;
            fb.palette_colors = colors;
            fb.palette_phys = phys_of(out, tag, palette);
            break;
        }
        case FramebufferType::Rgb: {
            FramebufferRgb rgb{};
            if (!load(tag.bytes, kColorInfo, rgb)) return Error::FramebufferColorInfoTruncated;
            if (!field_fits(rgb.red_field_position, rgb.red_mask_size, fb.bpp) ||
                !field_fits(rgb.green_field_position, rgb.green_mask_size, fb.bpp) ||
                !field_fits(rgb.blue_field_position, rgb.blue_mask_size, fb.bpp))
                return Error::FramebufferRgbFieldInvalid;
            fb.rgb = rgb;
            break;
        }
        case FramebufferType::EgaText:
            // No colour information (GRUB: size == sizeof common).
            break;
        default:
            return Error::FramebufferTypeUnknown;
    }
    out.framebuffer = fb;
    return Error::None;
}

Error decode_elf_sections(const Tag& tag, BootInfo& out) {
    TagElfSections fixed{};
    if (!load(tag.bytes, 0, fixed)) return Error::TagTooShort;
    // GRUB copies e_shnum headers of e_shentsize bytes each right after the
    // fixed fields (size = 20 + num * entsize).
    if (fixed.num != 0 && fixed.entsize < kElf32ShdrSize) return Error::ElfEntsizeInvalid;
    const u64 table = u64{fixed.num} * fixed.entsize;  // Cannot overflow.
    if (table > tag.bytes.size() - sizeof(TagElfSections)) return Error::ElfSectionsOverrun;
    if (fixed.num != 0 && fixed.shndx >= fixed.num) return Error::ElfShndxOutOfRange;

    out.elf_sections = {true,
                        fixed.num,
                        fixed.entsize,
                        fixed.shndx,
                        phys_of(out, tag, sizeof(TagElfSections)),
                        static_cast<u32>(table)};
    return Error::None;
}

Error decode_smbios(const Tag& tag, BootInfo& out) {
    TagSmbios fixed{};
    if (!load(tag.bytes, 0, fixed)) return Error::TagTooShort;
    out.smbios = {true, fixed.major, fixed.minor, phys_of(out, tag, sizeof(TagSmbios)),
                  static_cast<u32>(tag.bytes.size() - sizeof(TagSmbios))};
    return Error::None;
}

Error decode_rsdp(const Tag& tag, BootInfo& out) {
    const bool is_new = tag.type == static_cast<u32>(TagType::AcpiNew);
    const Bytes rsdp = tag.bytes.subspan(sizeof(TagHeader), tag.bytes.size());

    // ACPI 6.5, 5.2.5.3: 20 bytes in ACPI 1.0; from 2.0 on, `length` (at
    // least 36) covers the whole structure.
    RsdpV1 v1{};
    if (!load(rsdp, 0, v1)) return Error::RsdpTooShort;
    u32 length = sizeof(RsdpV1);
    if (is_new) {
        RsdpV2 v2{};
        if (!load(rsdp, 0, v2)) return Error::RsdpTooShort;
        if (v2.length < sizeof(RsdpV2) || v2.length > rsdp.size()) return Error::RsdpLengthInvalid;
        length = v2.length;
    }
    constexpr char kSignature[8] = {'R', 'S', 'D', ' ', 'P', 'T', 'R', ' '};
    for (usize i = 0; i < sizeof(kSignature); ++i)
        if (v1.signature[i] != kSignature[i]) return Error::RsdpBadSignature;

    Rsdp& copy = is_new ? out.acpi_new : out.acpi_old;
    copy = {};
    copy.present = true;
    copy.revision = v1.revision;
    __builtin_memcpy(copy.oem_id, v1.oem_id, sizeof(v1.oem_id));
    copy.oem_id[sizeof(v1.oem_id)] = '\0';
    copy.length = length;
    const usize copied = length < Rsdp::kMaxCopy ? length : Rsdp::kMaxCopy;
    __builtin_memcpy(copy.bytes, rsdp.data(), copied);
    copy.phys = phys_of(out, tag, sizeof(TagHeader));
    return Error::None;
}

Error decode_network(const Tag& tag, BootInfo& out) {
    // One tag per interface that received a DHCP ack; the ack packet (BOOTP
    // format) is kept in the MBI for a later network driver.
    if (out.network.count++ == 0) {
        out.network.first_dhcp_ack_phys = phys_of(out, tag, sizeof(TagHeader));
        out.network.first_dhcp_ack_size = static_cast<u32>(tag.bytes.size() - sizeof(TagHeader));
    }
    return Error::None;
}

Error decode_efi_memory_map(const Tag& tag, BootInfo& out) {
    TagEfiMmap fixed{};
    if (!load(tag.bytes, 0, fixed)) return Error::TagTooShort;
    // UEFI 2.10, 7.2 GetMemoryMap(): descriptors are DescriptorSize apart,
    // at least sizeof(EFI_MEMORY_DESCRIPTOR); they hold u64 fields, so the
    // stride keeps them 8-byte aligned.
    if (fixed.descr_size < kEfiMemoryDescriptorSize || !ktl::is_aligned<u32>(fixed.descr_size, 8))
        return Error::EfiMmapDescriptorSizeInvalid;
    if (fixed.descr_vers != kEfiMemoryDescriptorVersion) return Error::EfiMmapVersionUnsupported;
    const usize map_bytes = tag.bytes.size() - sizeof(TagEfiMmap);
    if (map_bytes % fixed.descr_size != 0) return Error::EfiMmapPartialEntry;

    out.efi_memory_map = {true,
                          fixed.descr_size,
                          fixed.descr_vers,
                          static_cast<u32>(map_bytes / fixed.descr_size),
                          phys_of(out, tag, sizeof(TagEfiMmap)),
                          static_cast<u32>(map_bytes)};
    return Error::None;
}

}  // namespace boot::multiboot2::detail
