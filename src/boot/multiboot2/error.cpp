#include "boot/multiboot2/error.hpp"

namespace boot::multiboot2 {

ktl::string_view describe(Error error) {
    switch (error) {
        case Error::None:
            return "boot information is valid";
        case Error::Misaligned:
            return "boot information is not 8-byte aligned";
        case Error::AddressWraps:
            return "boot information extends past the end of the address space";
        case Error::HeaderTruncated:
            return "boot information is shorter than its 8-byte header";
        case Error::TotalSizeTooSmall:
            return "boot information total_size is below 16 bytes (header plus END tag)";
        case Error::TotalSizeExceedsBuffer:
            return "boot information total_size is larger than the memory given to the parser";
        case Error::TagHeaderTruncated:
            return "a tag header runs past the end of the boot information";
        case Error::TagSizeTooSmall:
            return "a tag's size is smaller than the 8-byte tag header";
        case Error::TagOverrunsInfo:
            return "a tag runs past the end of the boot information";
        case Error::EndTagBadSize:
            return "the END tag's size is not 8";
        case Error::MissingEnd:
            return "boot information has no END tag";
        case Error::TagTooShort:
            return "a tag is shorter than its fixed fields";
        case Error::UnterminatedString:
            return "a string in a tag is not NUL-terminated within the tag";
        case Error::ModuleEndBeforeStart:
            return "a module's end address is below its start address";
        case Error::MmapEntrySizeInvalid:
            return "the memory map's entry size is below 24 bytes or not a multiple of 8";
        case Error::MmapPartialEntry:
            return "the memory map ends in a partial entry";
        case Error::MmapRegionWraps:
            return "a memory map region extends past the end of the 64-bit address space";
        case Error::ElfEntsizeInvalid:
            return "the ELF section header size is below 40 bytes";
        case Error::ElfSectionsOverrun:
            return "the ELF section headers run past the end of their tag";
        case Error::ElfShndxOutOfRange:
            return "the ELF section-name table index is not a valid section";
        case Error::FramebufferTypeUnknown:
            return "the framebuffer type is not indexed, RGB or EGA text";
        case Error::FramebufferColorInfoTruncated:
            return "the framebuffer's colour information runs past the end of its tag";
        case Error::FramebufferRgbFieldInvalid:
            return "a framebuffer colour field lies outside the pixel's bits";
        case Error::RsdpTooShort:
            return "the ACPI RSDP is shorter than its ACPI version requires";
        case Error::RsdpBadSignature:
            return "the ACPI RSDP does not start with \"RSD PTR \"";
        case Error::RsdpLengthInvalid:
            return "the ACPI RSDP's length field is below 36 or runs past its tag";
        case Error::EfiMmapDescriptorSizeInvalid:
            return "the EFI memory descriptor size is below 40 bytes or not a multiple of 8";
        case Error::EfiMmapVersionUnsupported:
            return "the EFI memory descriptor version is not 1";
        case Error::EfiMmapPartialEntry:
            return "the EFI memory map ends in a partial descriptor";
    }
    return "unknown boot information error";
}

}  // namespace boot::multiboot2
