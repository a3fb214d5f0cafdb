// What kernel_main learned at boot, for the parts of the kernel (and its
// in-kernel tests) that need it later. Read-only after boot.
#pragma once

#include "boot/params.hpp"
#include "kernel/acpi/platform.hpp"

namespace kernel {

[[nodiscard]] const boot::BootParams& boot_params();
// What the ACPI phase read (tables, MADT, FADT, HPET, MCFG); nullptr before
// that phase and on machines without usable ACPI tables.
[[nodiscard]] const acpi::Platform* acpi_platform();

}  // namespace kernel
