// The ACPI phase's glue: the kernel's PhysicalReader (the direct map where
// it reaches, read-only mappings elsewhere) and the I/O APIC version read
// the report needs (docs/acpi.md, "In the kernel").
#pragma once

#include "boot/params.hpp"
#include "kernel/acpi/platform.hpp"

namespace init {

// Reads the tables from the loader's RSDP into `out` and logs the report;
// a machine without an RSDP, or with an unusable one, says so and goes on.
// Returns whether `out` holds the platform.
bool discover_acpi(const boot::Rsdp& rsdp, kernel::acpi::Platform& out);

}  // namespace init
