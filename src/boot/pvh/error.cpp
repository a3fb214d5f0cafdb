#include "boot/pvh/error.hpp"

namespace boot::pvh {

ktl::string_view describe(Error error) {
    switch (error) {
        case Error::None:
            return "no error";
        case Error::InfoUnreadable:
            return "hvm_start_info is not in the memory mapped at boot";
        case Error::BadMagic:
            return "hvm_start_info has the wrong magic (not 0x336ec578): this is not a PVH start";
        case Error::TooManyModules:
            return "hvm_start_info claims an implausible number of modules (over 4096)";
        case Error::ModuleListMissing:
            return "hvm_start_info lists modules but its modlist_paddr is 0";
        case Error::ModuleListUnreadable:
            return "the PVH module list is not in the memory mapped at boot";
        case Error::ModuleAtZero:
            return "a PVH module has physical address 0 (not present)";
        case Error::ModuleWraps:
            return "a PVH module's size runs past the end of the address space";
        case Error::ModuleNameUnreadable:
            return "a PVH module's command line is not in the memory mapped at boot";
        case Error::ModuleNameUnterminated:
            return "a PVH module's command line has no terminating NUL within 64 KiB";
        case Error::CmdlineUnreadable:
            return "the PVH command line is not in the memory mapped at boot";
        case Error::CmdlineUnterminated:
            return "the PVH command line has no terminating NUL within 64 KiB";
        case Error::TooManyMemoryRegions:
            return "hvm_start_info claims an implausible number of memory map entries (over 65536)";
        case Error::MemoryMapMissing:
            return "hvm_start_info counts memory map entries but its memmap_paddr is 0";
        case Error::MemoryMapUnreadable:
            return "the PVH memory map is not in the memory mapped at boot";
        case Error::MemoryRegionWraps:
            return "a PVH memory map entry runs past the end of the address space";
        case Error::RsdpUnreadable:
            return "the RSDP that hvm_start_info names is not in the memory mapped at boot";
        case Error::RsdpBadSignature:
            return "the RSDP that hvm_start_info names has no 'RSD PTR ' signature";
    }
    return "unknown error";
}

}  // namespace boot::pvh
