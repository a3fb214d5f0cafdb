#include "boot/multiboot2/to_params.hpp"

namespace boot::multiboot2 {

namespace {

MemoryKind kind_of(u32 type) {
    switch (static_cast<MemoryType>(type)) {
        case MemoryType::Available:
            return MemoryKind::Usable;
        case MemoryType::AcpiReclaimable:
            return MemoryKind::AcpiReclaimable;
        case MemoryType::AcpiNvs:
            return MemoryKind::AcpiNvs;
        case MemoryType::BadMemory:
            return MemoryKind::Bad;
        case MemoryType::Reserved:
            break;
    }
    return MemoryKind::Reserved;  // spec 3.6.8: any other value is reserved
}

FramebufferKind kind_of(FramebufferType type) {
    switch (type) {
        case FramebufferType::Indexed:
            return FramebufferKind::Indexed;
        case FramebufferType::Rgb:
            return FramebufferKind::Rgb;
        case FramebufferType::EgaText:
            break;
    }
    return FramebufferKind::EgaText;
}

void add_unused(BootParams& out, u32 type, u32 offset) {
    if (out.unused_count == BootParams::kMaxLoaderItems) return;
    out.unused[out.unused_count++] = {type, offset, tag_name(type)};
}

}  // namespace

void framebuffer_to_params(const BootInfo& info, BootParams& out) {
    const multiboot2::Framebuffer& fb = info.framebuffer;
    if (!fb.present) return;
    out.framebuffer = {true,
                       kind_of(fb.type),
                       fb.bpp,
                       PhysAddr{fb.address},
                       fb.pitch,
                       fb.width,
                       fb.height,
                       {fb.rgb.red_field_position, fb.rgb.red_mask_size},
                       {fb.rgb.green_field_position, fb.rgb.green_mask_size},
                       {fb.rgb.blue_field_position, fb.rgb.blue_mask_size},
                       fb.palette_colors};
}

void to_params(const BootInfo& info, BootParams& out) {
    out.clear();
    out.protocol = "Multiboot2";
    if (info.has_bootloader_name) out.loader_name.assign(info.bootloader_name.view());
    out.info_phys = PhysAddr{info.mbi_phys};
    out.info_size = info.mbi_size;
    out.cmdline.assign(info.cmdline.view());
    out.cmdline.truncated = info.cmdline.truncated;

    out.memory_map_present = info.memory_map.present;
    for (const MemoryRegion& r : info.memory_map.view()) {
        if (out.memory_count == BootParams::kMaxMemoryRegions) {
            ++out.memory_dropped;
            continue;
        }
        out.memory[out.memory_count++] = {PhysAddr{r.base}, r.length, kind_of(r.type)};
    }
    out.memory_dropped += info.memory_map.dropped;

    for (const multiboot2::Module& m : info.module_list()) {
        boot::Module& kept = out.modules[out.module_count++];
        kept.start = PhysAddr{m.start};
        kept.end = PhysAddr{m.end};
        kept.name.assign(m.cmdline.view());
    }

    out.untracked_modules = info.untracked_modules;
    framebuffer_to_params(info, out);

    const multiboot2::Rsdp& rsdp = info.acpi_new.present ? info.acpi_new : info.acpi_old;
    if (rsdp.present) {
        out.rsdp.present = true;
        out.rsdp.revision = rsdp.revision;
        __builtin_memcpy(out.rsdp.oem_id, rsdp.oem_id, sizeof out.rsdp.oem_id);
        out.rsdp.phys = PhysAddr{rsdp.phys};
        out.rsdp.origin = info.acpi_new.present ? "the new tag" : "the old tag";
    }
    if (info.efi64_system_table) out.efi_system_table = PhysAddr{*info.efi64_system_table};
    if (info.efi32_system_table) out.efi32_system_table = PhysAddr{*info.efi32_system_table};
    out.efi_boot_services_active = info.efi_boot_services_not_terminated;
    if (info.smbios.present)
        out.smbios = {true, info.smbios.major, info.smbios.minor,
                      PhysAddr{info.smbios.tables_phys}};
    const multiboot2::ElfSections& elf = info.elf_sections;
    out.elf_sections = {
        elf.present, elf.num, elf.entsize, elf.shndx, PhysAddr{elf.headers_phys}, elf.headers_size};
    if (info.load_base_addr) out.load_base = PhysAddr{*info.load_base_addr};

    // Tags the kernel decodes but does not use: only that they were there.
    if (info.basic_meminfo.present) add_unused(out, static_cast<u32>(TagType::BasicMeminfo), 0);
    if (info.boot_device.present) add_unused(out, static_cast<u32>(TagType::BootDevice), 0);
    if (info.vbe.present) add_unused(out, static_cast<u32>(TagType::Vbe), 0);
    if (info.apm.present) add_unused(out, static_cast<u32>(TagType::Apm), 0);
    if (info.network.count != 0) add_unused(out, static_cast<u32>(TagType::Network), 0);
    if (info.efi_memory_map.present) add_unused(out, static_cast<u32>(TagType::EfiMmap), 0);
    for (const UnknownTag& tag : info.unknown_tag_list()) add_unused(out, tag.type, tag.offset);
}

}  // namespace boot::multiboot2
