#include "kernel/acpi/report.hpp"

#include "lib/format/format.hpp"

namespace kernel::acpi {
namespace {

void text(kfmt::Sink& out, ktl::string_view s) { out.write(s.data(), s.size()); }

// More APIC IDs than this are summarised: a line must stay readable.
constexpr usize kMaxIdsShown = 32;

void write_root(kfmt::Sink& out, const TableList& tables) {
    const Rsdp& rsdp = tables.rsdp();
    // The OEM ID is firmware text: keep control bytes out of the log.
    char oem[6];
    for (usize i = 0; i < 6; ++i) {
        const char c = rsdp.oem_id[i];
        oem[i] = (c >= 0x20 && c < 0x7f) ? c : '?';
    }
    kfmt::format_to(out, "acpi: RSDP revision {} ({}), {} at {:#x}\n", rsdp.revision,
                    ktl::string_view{oem, 6}, tables.root_is_xsdt() ? "XSDT" : "RSDT",
                    tables.root().value());
    if (rsdp.revision >= 2 && !rsdp.extended_ok)
        text(out,
             "acpi: RSDP extended checksum or length is bad: XSDT not trusted, using the RSDT\n");
    if (!tables.root_checksum_ok())
        kfmt::format_to(out, "acpi: {} has a bad checksum (used anyway)\n",
                        tables.root_is_xsdt() ? "XSDT" : "RSDT");
}

// The tables the list could not use, or uses despite a bad checksum.
void write_table_problems(kfmt::Sink& out, const TableList& tables) {
    for (const TableEntry& e : tables.entries()) {
        if (e.status == TableStatus::Ok) continue;
        // `sig` outlives the view of it below.
        const Signature::Text sig = e.signature.text();
        const bool unnamed = e.error == Error::Unreadable || e.error == Error::ListsItself;
        const ktl::string_view name = unnamed ? ktl::string_view{"table"} : sig.view();
        if (e.status == TableStatus::BadChecksum) {
            const TableEntry* chosen = tables.find(e.signature);
            kfmt::format_to(out, "acpi: {} at {:#x} has a bad checksum ({})\n", name,
                            e.phys.value(), chosen == &e ? "used anyway" : "another copy is used");
        } else {
            kfmt::format_to(out, "acpi: {} at {:#x}: {} (ignored)\n", name, e.phys.value(),
                            describe(e.error));
        }
    }
}

// Tables a boot module supplied (TableList::override_with), each named with
// what it stands in for: the report must not pass them off as firmware's.
void write_supplied(kfmt::Sink& out, const TableList& tables) {
    for (const TableEntry& e : tables.entries()) {
        if (!e.supplied) continue;
        kfmt::format_to(out, "acpi: {} at {:#x} comes from a boot module",
                        e.signature.text().view(), e.phys.value());
        if (e.replaced.value() != 0)
            kfmt::format_to(out, ", in place of the one at {:#x}\n", e.replaced.value());
        else
            text(out, ", added\n");
    }
}

// A second FACP, APIC, HPET or MCFG (3 and 1 of 200 real machines list two
// MADTs or MCFGs: ../shared/acpi-corpus): find() picks one, the others are
// named here rather than dropped without a word. Copies with a bad checksum
// were named by write_table_problems already.
void write_unused_copies(kfmt::Sink& out, const TableList& tables) {
    static constexpr Signature kUsedOnce[] = {Signature::of("FACP"), Signature::of("APIC"),
                                              Signature::of("HPET"), Signature::of("MCFG")};
    for (const Signature& sig : kUsedOnce) {
        const TableEntry* chosen = tables.find(sig);
        if (chosen == nullptr) continue;
        const Signature::Text name = sig.text();
        for (const TableEntry& e : tables.entries()) {
            if (&e == chosen || e.status != TableStatus::Ok || !(e.signature == sig)) continue;
            kfmt::format_to(out, "acpi: {} at {:#x} ignored (the {} at {:#x} is used)\n",
                            name.view(), e.phys.value(), name.view(), chosen->phys.value());
        }
    }
}

void write_tables(kfmt::Sink& out, const TableList& tables) {
    write_root(out, tables);
    kfmt::format_to(out, "acpi: {} tables (", tables.usable_count());
    bool first = true;
    for (const TableEntry& e : tables.entries()) {
        if (!e.usable()) continue;
        if (!first) out.put(' ');
        first = false;
        out.write(e.signature.text().chars, 4);
    }
    text(out, ")\n");
    write_supplied(out, tables);
    write_table_problems(out, tables);
    write_unused_copies(out, tables);
    if (tables.ignored_entries() != 0)
        kfmt::format_to(out, "acpi: {} more root entries ignored (at most {} tables)\n",
                        tables.ignored_entries(), TableList::kCapacity);
}

void write_failure(kfmt::Sink& out, ktl::string_view what, const TableError& e) {
    kfmt::format_to(out, "{}: cannot be used: {}", what, describe(e.error));
    if (e.offset != 0) kfmt::format_to(out, " at offset {:#x}", e.offset);
    out.put('\n');
}

void write_cpus(kfmt::Sink& out, const Madt& m) {
    kfmt::format_to(out, "cpus: {} in the MADT (APIC IDs", m.enabled_cpus());
    usize shown = 0;
    for (usize i = 0; i < m.cpu_count; ++i) {
        if (!m.cpus[i].enabled) continue;
        if (shown++ == kMaxIdsShown) {
            text(out, " ...");
            break;
        }
        kfmt::format_to(out, " {}", m.cpus[i].apic_id);
    }
    text(out, ")\n");
    if (m.cpu_count > m.enabled_cpus())
        kfmt::format_to(out, "cpus: {} more can be brought online\n",
                        m.cpu_count - m.enabled_cpus());
}

void write_io_apics(kfmt::Sink& out, const Madt& m) {
    for (usize i = 0; i < m.io_apic_count; ++i) {
        const IoApic& io = m.io_apics[i];
        const u32 count = io.inputs;
        if (count != 0) {
            // In 64 bits: a hostile MADT's GSI base near 2^32 must not wrap.
            kfmt::format_to(out, "ioapic {} at {:#x}, GSI {}-{}\n", io.id, io.address, io.gsi_base,
                            u64{io.gsi_base} + (count - 1));
        } else {
            kfmt::format_to(out, "ioapic {} at {:#x}, GSI base {}\n", io.id, io.address,
                            io.gsi_base);
        }
    }
}

void write_interrupt_entries(kfmt::Sink& out, const Madt& m) {
    for (usize i = 0; i < m.override_count; ++i) {
        const InterruptOverride& o = m.overrides[i];
        kfmt::format_to(out, "irq override: IRQ {} -> GSI {} (", o.irq, o.gsi);
        write_inti_flags(out, o.flags, o.bus == 0);
        text(out, o.bus == 0 ? ")\n" : ", not ISA)\n");
    }
    for (usize i = 0; i < m.nmi_source_count; ++i) {
        kfmt::format_to(out, "nmi: GSI {} (", m.nmi_sources[i].gsi);
        write_inti_flags(out, m.nmi_sources[i].flags, false);
        text(out, ")\n");
    }
    for (usize i = 0; i < m.local_nmi_count; ++i) {
        const LocalNmi& n = m.local_nmis[i];
        if (n.all_cpus) {
            kfmt::format_to(out, "nmi: LINT{} on all CPUs\n", n.lint);
        } else {
            kfmt::format_to(out, "nmi: LINT{} on CPU UID {}\n", n.lint, n.uid);
        }
    }
}

// What the walk skipped or dropped.
void write_madt_counts(kfmt::Sink& out, const Madt& m) {
    if (m.duplicate_cpus != 0)
        kfmt::format_to(out, "madt: {} duplicate CPU entries ignored\n", m.duplicate_cpus);
    if (m.unknown_entries != 0)
        kfmt::format_to(out, "madt: {} entries of unknown type skipped\n", m.unknown_entries);
    if (m.malformed_entries != 0)
        kfmt::format_to(out, "madt: {} entries too short for their type skipped\n",
                        m.malformed_entries);
    if (m.dropped != 0)
        kfmt::format_to(out, "madt: {} entries beyond Keel's limits ignored\n", m.dropped);
}

void write_madt(kfmt::Sink& out, const Platform& p) {
    if (p.madt_state == Found::Absent) {
        text(out, "cpus: no MADT (one CPU, no I/O APIC known)\n");
        return;
    }
    if (p.madt_state == Found::Failed) {
        write_failure(out, "madt", p.madt_error);
        return;
    }
    const Madt& m = p.madt;
    write_cpus(out, m);
    write_io_apics(out, m);
    for (usize i = 0; i < p.misplaced_io_apic_count; ++i) {
        const Platform::MisplacedIoApic& c = p.misplaced_io_apics[i];
        kfmt::format_to(out, "ioapic {} at {:#x} ignored: its registers lie in the {}'s\n", c.id,
                        c.address, c.device);
    }
    write_interrupt_entries(out, m);
    write_madt_counts(out, m);
    if (p.madt_walk_stopped)
        kfmt::format_to(out, "madt: walk stopped at offset {:#x}: {}\n", p.madt_error.offset,
                        describe(p.madt_error.error));
}

void write_register(kfmt::Sink& out, const GenericAddress& r) {
    kfmt::format_to(out, "{} {:#x}", space_name(r.space), r.address);
}

void write_fadt(kfmt::Sink& out, const Platform& p) {
    if (p.fadt_state == Found::Absent) {
        text(out, "fadt: none (no power management registers known)\n");
        return;
    }
    if (p.fadt_state == Found::Failed) {
        write_failure(out, "fadt", p.fadt_error);
        return;
    }
    const Fadt& f = p.fadt;
    kfmt::format_to(out, "fadt: revision {} ({} bytes), SCI {}", f.revision, f.length,
                    f.sci_interrupt);
    if (f.pm1a_control.present()) {
        text(out, ", PM1a control ");
        write_register(out, f.pm1a_control);
    }
    if (f.pm1b_control.present()) {
        text(out, ", PM1b control ");
        write_register(out, f.pm1b_control);
    }
    if (f.smi_command_port != 0)
        kfmt::format_to(out, ", SMI command {:#x} (enable {:#x})", f.smi_command_port,
                        f.acpi_enable);
    out.put('\n');
    if (f.hardware_reduced()) text(out, "fadt: hardware-reduced ACPI\n");
    if (f.reset_supported()) {
        text(out, "fadt: reset register ");
        write_register(out, f.reset_register);
        kfmt::format_to(out, " value {:#x}\n", f.reset_value);
    } else {
        text(out, "fadt: no reset register\n");
    }
    if (f.has_boot_arch) {
        kfmt::format_to(out, "fadt: boot flags {:#x}{}{}{}{}\n", f.boot_arch,
                        (f.boot_arch & boot_arch::kLegacyDevices) != 0 ? " legacy-devices" : "",
                        (f.boot_arch & boot_arch::k8042) != 0 ? " 8042" : "",
                        (f.boot_arch & boot_arch::kNoVga) != 0 ? " no-vga" : "",
                        (f.boot_arch & boot_arch::kNoCmosRtc) != 0 ? " no-cmos-rtc" : "");
    }
}

void write_hpet(kfmt::Sink& out, const Platform& p) {
    if (p.hpet_state == Found::Absent) {
        text(out, "hpet: none\n");
    } else if (p.hpet_state == Found::Failed) {
        write_failure(out, "hpet", p.hpet_error);
    } else {
        kfmt::format_to(out, "hpet at {:#x}\n", p.hpet.base.address);
    }
}

void write_mcfg(kfmt::Sink& out, const Platform& p) {
    if (p.mcfg_state == Found::Absent) {
        text(out, "pci ecam: none (no MCFG)\n");
        return;
    }
    if (p.mcfg_state == Found::Failed) {
        write_failure(out, "mcfg", p.mcfg_error);
        return;
    }
    const Mcfg& m = p.mcfg;
    for (usize i = 0; i < m.count; ++i) {
        const EcamRegion& r = m.regions[i];
        kfmt::format_to(out, "pci ecam: segment {} buses {}-{} at {:#x}\n", r.segment, r.start_bus,
                        r.end_bus, r.base);
    }
    if (m.count == 0 && m.invalid == 0 && m.misplaced == 0)
        text(out, "pci ecam: MCFG lists no region\n");
    if (m.invalid != 0)
        kfmt::format_to(out, "pci ecam: {} regions with end bus below start ignored\n", m.invalid);
    if (m.misplaced != 0)
        kfmt::format_to(out, "pci ecam: {} {} at an impossible address ignored\n", m.misplaced,
                        m.misplaced == 1 ? "region" : "regions");
    if (m.dropped != 0)
        kfmt::format_to(out, "pci ecam: {} regions beyond Keel's limit ignored\n", m.dropped);
}

}  // namespace

void write_inti_flags(kfmt::Sink& out, u16 flags, bool isa) {
    const Trigger t = trigger(flags);
    const Polarity p = polarity(flags);
    if (!isa && t == Trigger::Conforming && p == Polarity::Conforming) {
        text(out, "conforming");
        return;
    }
    switch (t) {
        case Trigger::Conforming:
            text(out, isa ? "edge" : "conforming trigger");
            break;
        case Trigger::Edge:
            text(out, "edge");
            break;
        case Trigger::Level:
            text(out, "level");
            break;
        case Trigger::Reserved:
            text(out, "reserved trigger");
            break;
    }
    text(out, ", ");
    switch (p) {
        case Polarity::Conforming:
            text(out, isa ? "high" : "conforming polarity");
            break;
        case Polarity::High:
            text(out, "high");
            break;
        case Polarity::Low:
            text(out, "low");
            break;
        case Polarity::Reserved:
            text(out, "reserved polarity");
            break;
    }
}

void write_report(kfmt::Sink& out, const Platform& platform) {
    write_tables(out, platform.tables);
    write_madt(out, platform);
    write_fadt(out, platform);
    write_hpet(out, platform);
    write_mcfg(out, platform);
}

}  // namespace kernel::acpi
