#include "boot/multiboot2/boot_info.hpp"

namespace boot::multiboot2 {

ktl::string_view tag_name(u32 type) {
    switch (static_cast<TagType>(type)) {
        case TagType::End:
            return "end";
        case TagType::Cmdline:
            return "command line";
        case TagType::BootloaderName:
            return "bootloader name";
        case TagType::Module:
            return "module";
        case TagType::BasicMeminfo:
            return "basic memory information";
        case TagType::BootDevice:
            return "BIOS boot device";
        case TagType::Mmap:
            return "memory map";
        case TagType::Vbe:
            return "VBE information";
        case TagType::Framebuffer:
            return "framebuffer";
        case TagType::ElfSections:
            return "ELF sections";
        case TagType::Apm:
            return "APM table";
        case TagType::Efi32:
            return "EFI32 system table";
        case TagType::Efi64:
            return "EFI64 system table";
        case TagType::Smbios:
            return "SMBIOS tables";
        case TagType::AcpiOld:
            return "ACPI 1.0 RSDP";
        case TagType::AcpiNew:
            return "ACPI 2.0+ RSDP";
        case TagType::Network:
            return "network (DHCP ack)";
        case TagType::EfiMmap:
            return "EFI memory map";
        case TagType::EfiBootServices:
            return "EFI boot services not terminated";
        case TagType::Efi32ImageHandle:
            return "EFI32 image handle";
        case TagType::Efi64ImageHandle:
            return "EFI64 image handle";
        case TagType::LoadBaseAddr:
            return "image load base address";
    }
    return "unknown";
}

ktl::string_view kind_name(LoaderRegionKind kind) {
    switch (kind) {
        case LoaderRegionKind::BootInformation:
            return "boot information";
        case LoaderRegionKind::Module:
            return "module";
    }
    return "unknown";
}

}  // namespace boot::multiboot2
