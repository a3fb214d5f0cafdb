// Everything Keel reads from ACPI at boot, found from the RSDP in one call:
// the table list and the parsed MADT, FADT, HPET and MCFG. The kernel
// keeps one Platform (it is large: static storage, not a stack); it is
// written once during boot and read-only afterwards, so it needs no lock.
#pragma once

#include "kernel/acpi/error.hpp"
#include "kernel/acpi/fadt.hpp"
#include "kernel/acpi/hpet.hpp"
#include "kernel/acpi/madt.hpp"
#include "kernel/acpi/mcfg.hpp"
#include "kernel/acpi/reader.hpp"
#include "kernel/acpi/tables.hpp"
#include "lib/address.hpp"
#include "lib/result.hpp"

namespace kernel::acpi {

enum class Found : u8 {
    Absent,  // no usable table of that signature
    Parsed,  // value is valid (for the MADT: entries up to `error`, if any)
    Failed,  // the table exists but could not be parsed: see error
};

struct Platform {
    TableList tables;
    Found madt_state{};
    Found fadt_state{};
    Found hpet_state{};
    Found mcfg_state{};
    // For Failed, and for a MADT walk that stopped early (Parsed + has error).
    bool madt_walk_stopped{};
    TableError madt_error{};
    TableError fadt_error{};
    TableError hpet_error{};
    TableError mcfg_error{};
    Madt madt{};
    Fadt fadt;
    Hpet hpet;
    Mcfg mcfg{};
    // I/O APICs the MADT placed on another device's registers (the HPET's
    // block, by the HPET table), taken off `madt` by discover(): their
    // select and window writes would land in that device (0x10 into an HPET
    // is its configuration register: the counter would stop). Named by the
    // report.
    struct MisplacedIoApic {
        u8 id;
        u32 address;
        const char* device;  // "HPET"
    };
    MisplacedIoApic misplaced_io_apics[Madt::kMaxIoApics]{};
    usize misplaced_io_apic_count{};
};

// A table the user supplies in a boot module, to be used instead of the
// firmware's (TableList::override_with); discover() fills in the outcome.
struct SuppliedTable {
    PhysAddr phys;
    u64 size{};  // the module's bytes: the table must fit in them
    Result<TableEntry, Error> outcome = Error::Unreadable;
};

// Reads the RSDP at `rsdp`, then every table. Fails only when the RSDP or
// the root table is unusable; a missing or broken MADT/FADT/HPET/MCFG is
// recorded in `out` and reported, not fatal.
Result<void, Error> discover(PhysicalReader& reader, PhysAddr rsdp, Platform& out,
                             ktl::span<SuppliedTable> supplied = {});

}  // namespace kernel::acpi
