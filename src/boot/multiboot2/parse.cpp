#include "boot/multiboot2/parse.hpp"

#include "boot/multiboot2/layout.hpp"
#include "boot/multiboot2/memory_map.hpp"
#include "boot/multiboot2/tag_decoders.hpp"

namespace boot::multiboot2 {
namespace {

using namespace detail;

// Counts a repeated single-instance tag; the decoder then overwrites the
// earlier copy, so every instance is still fully validated.
void note_single(bool already_present, BootInfo& out) {
    if (already_present) ++out.duplicate_tags;
}

void record_unknown(const Tag& tag, BootInfo& out) {
    // Unknown tags are legal (spec 3.6: skip tags you do not understand);
    // they are listed so the kernel can log "unknown tag N skipped".
    if (out.unknown_tag_count == BootInfo::kMaxUnknownTags) {
        ++out.unknown_tags_dropped;
        return;
    }
    out.unknown_tags[out.unknown_tag_count++] = {tag.type, tag.offset};
}

Error decode_tag(const Tag& tag, BootInfo& out) {
    switch (static_cast<TagType>(tag.type)) {
        case TagType::End:
            return Error::None;  // The walker stops at END and never yields it.
        case TagType::Cmdline:
            note_single(out.has_cmdline, out);
            return decode_cmdline(tag, out);
        case TagType::BootloaderName:
            note_single(out.has_bootloader_name, out);
            return decode_bootloader_name(tag, out);
        case TagType::Module:
            return decode_module(tag, out);
        case TagType::BasicMeminfo:
            note_single(out.basic_meminfo.present, out);
            return decode_basic_meminfo(tag, out);
        case TagType::BootDevice:
            note_single(out.boot_device.present, out);
            return decode_boot_device(tag, out);
        case TagType::Mmap:
            note_single(out.memory_map.present, out);
            return decode_memory_map(tag.bytes, out.memory_map);
        case TagType::Vbe:
            note_single(out.vbe.present, out);
            return decode_vbe(tag, out);
        case TagType::Framebuffer:
            note_single(out.framebuffer.present, out);
            return decode_framebuffer(tag, out);
        case TagType::ElfSections:
            note_single(out.elf_sections.present, out);
            return decode_elf_sections(tag, out);
        case TagType::Apm:
            note_single(out.apm.present, out);
            return decode_apm(tag, out);
        case TagType::Efi32:
            note_single(out.efi32_system_table.has_value(), out);
            return decode_u32(tag, out.efi32_system_table);
        case TagType::Efi64:
            note_single(out.efi64_system_table.has_value(), out);
            return decode_u64(tag, out.efi64_system_table);
        case TagType::Smbios:
            note_single(out.smbios.present, out);
            return decode_smbios(tag, out);
        case TagType::AcpiOld:
            note_single(out.acpi_old.present, out);
            return decode_rsdp(tag, out);
        case TagType::AcpiNew:
            note_single(out.acpi_new.present, out);
            return decode_rsdp(tag, out);
        case TagType::Network:
            return decode_network(tag, out);
        case TagType::EfiMmap:
            note_single(out.efi_memory_map.present, out);
            return decode_efi_memory_map(tag, out);
        case TagType::EfiBootServices:
            // A bare 8-byte tag: its presence is the information.
            note_single(out.efi_boot_services_not_terminated, out);
            out.efi_boot_services_not_terminated = true;
            return Error::None;
        case TagType::Efi32ImageHandle:
            note_single(out.efi32_image_handle.has_value(), out);
            return decode_u32(tag, out.efi32_image_handle);
        case TagType::Efi64ImageHandle:
            note_single(out.efi64_image_handle.has_value(), out);
            return decode_u64(tag, out.efi64_image_handle);
        case TagType::LoadBaseAddr:
            note_single(out.load_base_addr.has_value(), out);
            return decode_u32(tag, out.load_base_addr);
    }
    record_unknown(tag, out);
    return Error::None;
}

// After a tag that cannot be decoded, nothing more is trusted, but the
// screen is worth having: GRUB writes the framebuffer tag after the
// modules, so a bad module tag would otherwise leave a UEFI machine's
// PANIC on COM1 only, the screen black (issue 14.2). The rest of the tags
// are walked by their headers; a framebuffer tag that decodes is kept.
void salvage_framebuffer(TagWalker& walker, BootInfo& out) {
    Tag tag;
    while (!out.framebuffer.present && walker.next(tag)) {
        if (tag.type != static_cast<u32>(TagType::Framebuffer)) continue;
        if (decode_framebuffer(tag, out) != Error::None) out.framebuffer = {};
    }
}

}  // namespace

ParseResult parse(ktl::span<const u8> mbi, u64 mbi_phys, BootInfo& out) {
    out.clear();
    Bytes info;
    ParseResult result = check_header(mbi, mbi_phys, info);
    if (!result.ok()) return result;

    out.mbi_phys = mbi_phys;
    out.mbi_size = static_cast<u32>(info.size());
    // The MBI holds data the kernel reads later (ELF section headers, RSDP,
    // SMBIOS and EFI map copies), so it is a loader region too.
    out.loader_regions[out.loader_region_count++] = {mbi_phys, info.size(),
                                                     LoaderRegionKind::BootInformation};

    TagWalker walker(info);
    Tag tag;
    while (walker.next(tag)) {
        const Error error = decode_tag(tag, out);
        if (error != Error::None) {
            salvage_framebuffer(walker, out);
            return {error, tag.offset, tag.type};
        }
    }
    return walker.result();
}

ParseResult parse(ktl::span<const u8> mbi, BootInfo& out) {
    return parse(mbi, reinterpret_cast<uptr>(mbi.data()), out);
}

}  // namespace boot::multiboot2
