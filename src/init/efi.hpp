// The UEFI system table the loader reported (kernel/efi/system_table.hpp),
// read through a read-only mapping and reported in the log.
#pragma once

#include "boot/params.hpp"

namespace init {

// `efi: system table at 0x7fbee018, UEFI 2.70, firmware "EDK II" revision
// 0x10000`; nothing without one (BIOS, PVH); a warning when it cannot be
// mapped or is no system table.
void report_efi_system_table(const boot::BootParams& params);

}  // namespace init
