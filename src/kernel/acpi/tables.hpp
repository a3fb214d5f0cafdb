// Every ACPI table the firmware lists, found from the RSDP: the XSDT (the
// RSDT when there is none) and the DSDT and FACS the FADT points to. Each
// entry is checked (readable, length, checksum) before anything uses it.
//
// Hostile input is bounded: at most kMaxRootEntries entries of a root table
// are looked at and kCapacity tables kept; an entry naming the root table
// itself or an address already listed is recorded as such and not read
// again; nothing is followed recursively, so there is no loop to hang in.
//
// A table whose checksum is wrong is still listed and still used (Linux and
// ACPICA do the same: they warn and go on). The parsers never trust a
// table's bytes for bounds, so a bad checksum cannot make them read out of
// bounds; and firmware that patches a table at boot without fixing its
// checksum is known, while a machine with no MADT would lose its CPUs and
// interrupt controllers. Where another table of the same signature has a
// good checksum, find() prefers that one. The report names each such table.
#pragma once

#include "kernel/acpi/error.hpp"
#include "kernel/acpi/header.hpp"
#include "kernel/acpi/reader.hpp"
#include "kernel/acpi/rsdp.hpp"
#include "lib/address.hpp"
#include "lib/ktl/span.hpp"
#include "lib/result.hpp"

namespace kernel::acpi {

enum class TableStatus : u8 {
    Ok,
    BadChecksum,  // listed and usable; reported
    Unusable,     // not read: see TableEntry::error
};

struct TableEntry {
    Signature signature;  // as found; zeroes when unreadable
    PhysAddr phys;
    u32 length{};
    u8 revision{};
    TableStatus status{};
    Error error{};  // why it is Unusable (or BadChecksum)
    // Supplied by the user (a boot module: override_with), not the firmware;
    // `replaced` is the firmware's table it stands in for (0: added).
    bool supplied{};
    PhysAddr replaced{};

    [[nodiscard]] bool usable() const { return status != TableStatus::Unusable; }
};

class TableList {
public:
    static constexpr usize kCapacity = 64;
    // Real root tables list a few dozen tables; 16 MiB of XSDT would be two
    // million entries to walk.
    static constexpr usize kMaxRootEntries = 1024;

    // Walks from an RSDP already validated. Fails only when the root table
    // itself is unusable (unreadable, too short or long, wrong signature);
    // a root table with a bad checksum is used and root_checksum_ok() says so.
    static Result<void, Error> discover(PhysicalReader& reader, const Rsdp& rsdp, TableList& out);

    [[nodiscard]] const Rsdp& rsdp() const { return rsdp_; }
    [[nodiscard]] PhysAddr root() const { return rsdp_.root(); }
    [[nodiscard]] bool root_is_xsdt() const { return rsdp_.uses_xsdt(); }
    [[nodiscard]] bool root_checksum_ok() const { return root_checksum_ok_; }
    [[nodiscard]] ktl::span<const TableEntry> entries() const { return {entries_, count_}; }
    // Root entries beyond kMaxRootEntries, and tables beyond kCapacity.
    [[nodiscard]] usize ignored_entries() const { return ignored_; }
    // Root entries holding address 0 (firmware leaves these; not an error).
    [[nodiscard]] usize null_entries() const { return null_entries_; }
    [[nodiscard]] usize usable_count() const;

    // The table to use for a signature: the first usable one with a good
    // checksum, else the first usable one; nullptr when there is none.
    [[nodiscard]] const TableEntry* find(Signature signature) const;
    // The table's bytes (header included) through the reader; empty when
    // the entry is unusable or the reader now refuses.
    static ktl::span<const u8> bytes(PhysicalReader& reader, const TableEntry& entry);

    // A table the user supplied at `phys` (a boot module of `available`
    // bytes: docs/acpi.md, "Replacing a table"), used instead of the one
    // find() returns for its signature, or added when there is none (an
    // SSDT is always added: a machine has several). It must be whole:
    // readable, a header, a length within the module, a good checksum, and
    // not a FACS (the firmware's own memory for waking up) or a root table
    // (XSDT, RSDT: the list itself). Refused with
    // nothing changed otherwise. The DSDT a supplied FADT names is not
    // followed: supply the DSDT itself.
    // Returns a copy of the entry it made.
    Result<TableEntry, Error> override_with(PhysicalReader& reader, PhysAddr phys, u64 available);

private:
    void add(PhysicalReader& reader, PhysAddr phys, const Signature* expected);

    Rsdp rsdp_{};
    bool root_checksum_ok_ = false;
    TableEntry entries_[kCapacity] = {};
    usize count_ = 0;
    usize ignored_ = 0;
    usize null_entries_ = 0;
};

}  // namespace kernel::acpi
