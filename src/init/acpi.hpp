// The ACPI phase's glue: the kernel's PhysicalReader (a read-only mapping
// of every table, made once) and the I/O APIC version read the report
// needs (docs/acpi.md, "In the kernel").
#pragma once

#include "boot/params.hpp"
#include "kernel/acpi/platform.hpp"
#include "kernel/acpi/sleep_state.hpp"

namespace init {

// Reads the tables from the loader's RSDP into `out` and logs the report;
// a machine without an RSDP, or with an unusable one, says so and goes on.
// Each module whose command line's first word is `acpi-table` holds a
// table used instead of the firmware's (docs/acpi.md, "Replacing a
// table"); what became of each is logged. Returns whether `out` holds the
// platform.
[[nodiscard]] bool discover_acpi(const boot::Rsdp& rsdp, ktl::span<const boot::Module> modules,
                                 kernel::acpi::Platform& out);

// The soft-off sleep type: the DSDT's \_S5_, else the first SSDT's; when
// none has one, the DSDT's reason (or NotFound without a DSDT). Logs the
// tables it could not read.
Result<kernel::acpi::SleepType, kernel::acpi::SleepTypeError> find_soft_off(
    const kernel::acpi::Platform& platform);

// A listed table's bytes (header included) through its read-only mapping;
// empty when it cannot be read. Boot CPU, init code only (the reader's rule).
[[nodiscard]] ktl::span<const u8> acpi_table_bytes(const kernel::acpi::TableEntry& entry);

}  // namespace init
