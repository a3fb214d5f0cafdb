// The Multiple APIC Description Table, "APIC" (ACPI 6.5 §5.2.12): the
// CPUs' local APICs, the I/O APICs, how ISA IRQs map to global system
// interrupts (GSIs), and which inputs are NMIs.
//
// Entries are walked by their length byte. Unknown types (real firmware has
// 127 and 255) are counted and skipped; a known type whose length is too
// short for its fields is counted as malformed and skipped. An entry with a
// length below 2 (it would never advance) or running past the table's end
// stops the walk with an error; what was read before it is kept.
#pragma once

#include "kernel/acpi/bytes.hpp"
#include "kernel/acpi/error.hpp"
#include "lib/result.hpp"

namespace kernel::acpi {

namespace madt_entry {
inline constexpr u8 kLocalApic = 0, kIoApic = 1, kOverride = 2, kNmiSource = 3, kLocalApicNmi = 4,
                    kLocalApicAddress = 5, kLocalX2Apic = 9, kLocalX2ApicNmi = 10;
}

// MPS INTI flags (ACPI 6.5 table 5.26), shared by overrides and NMI entries.
enum class Polarity : u8 { Conforming = 0, High = 1, Reserved = 2, Low = 3 };
enum class Trigger : u8 { Conforming = 0, Edge = 1, Reserved = 2, Level = 3 };
[[nodiscard]] constexpr Polarity polarity(u16 flags) { return static_cast<Polarity>(flags & 3); }
[[nodiscard]] constexpr Trigger trigger(u16 flags) {
    return static_cast<Trigger>((flags >> 2) & 3);
}

struct Cpu {
    u32 apic_id;
    u32 uid;  // ACPI processor UID
    bool x2apic;
    bool enabled;
    bool online_capable;  // disabled now, may be brought online (hot-plug)
};

// An I/O APIC's registers: IOREGSEL at +0x00, IOWIN at +0x10 (82093AA
// datasheet, 3.2.2), each 16-byte aligned.
inline constexpr u64 kIoApicRegisterBytes = 0x20;

struct IoApic {
    u8 id;
    u32 address;
    u32 gsi_base;
    u32 inputs;  // not the MADT's: the chip's count, read once at boot (0: unknown)
};

struct InterruptOverride {
    u8 bus;  // 0: ISA
    u8 irq;  // the source IRQ on that bus
    u32 gsi;
    u16 flags;
};

struct NmiSource {  // an I/O APIC input wired to NMI
    u16 flags;
    u32 gsi;
};

struct LocalNmi {  // a local APIC LINT pin wired to NMI
    u32 uid;       // processor UID; all_cpus when 0xff (xAPIC) / 0xffffffff (x2APIC)
    bool all_cpus;
    u16 flags;
    u8 lint;
};

struct Madt {
    static constexpr usize kMaxCpus = 512;
    static constexpr usize kMaxIoApics = 32;
    static constexpr usize kMaxOverrides = 48;
    static constexpr usize kMaxNmiSources = 16;
    static constexpr usize kMaxLocalNmis = 64;

    u8 revision;
    u64 local_apic_address;  // the type-5 override when present
    u32 flags;               // bit 0: PC-AT compatible 8259 PICs present

    // Enabled or online-capable processors, each APIC ID once (some firmware
    // lists a CPU as both an xAPIC and an x2APIC entry); disabled ones that
    // cannot come online are left out, as the spec says to ignore them.
    Cpu cpus[kMaxCpus];
    IoApic io_apics[kMaxIoApics];
    InterruptOverride overrides[kMaxOverrides];
    NmiSource nmi_sources[kMaxNmiSources];
    LocalNmi local_nmis[kMaxLocalNmis];
    usize cpu_count;
    usize io_apic_count;
    usize override_count;
    usize nmi_source_count;
    usize local_nmi_count;

    usize dropped;            // entries beyond a capacity above
    usize duplicate_cpus;     // a second entry for an APIC ID already seen
    usize unknown_entries;    // types this parser does not know, skipped
    usize malformed_entries;  // known types too short for their fields, skipped
    u32 type_counts[256];     // every entry walked, by type (a 16 MiB table holds 8M)

    [[nodiscard]] usize enabled_cpus() const;
    [[nodiscard]] bool pcat_compatible() const { return (flags & 1) != 0; }
};

// Fills `out` (large: keep it off small stacks) from the whole MADT, header
// included. On an entry error, `out` holds the entries before it.
Result<void, TableError> parse_madt(Bytes table, Madt& out);

}  // namespace kernel::acpi
