#include "kernel/acpi/platform.hpp"

namespace kernel::acpi {
namespace {

// Parses the table of `signature` with `parse`, recording the outcome.
template <typename T, typename Parse>
void parse_one(PhysicalReader& reader, const TableList& tables, const char (&signature)[5],
               Parse parse, Found& state, TableError& error, T& value) {
    state = Found::Absent;
    const TableEntry* entry = tables.find(Signature::of(signature));
    if (entry == nullptr) return;
    const Bytes bytes{TableList::bytes(reader, *entry)};
    if (bytes.size() == 0) {
        state = Found::Failed;
        error = {Error::Unreadable, 0};
        return;
    }
    auto result = parse(bytes);
    if (result) {
        value = *result;
        state = Found::Parsed;
    } else {
        state = Found::Failed;
        error = result.error();
    }
}

// Whether `window` overlaps the HPET's event timer block, as the HPET table
// places it. (Not ECAM: an MCFG region claims all the buses its segment
// could have, which on real machines reaches over the I/O APIC: one iMac
// of ../shared/acpi-corpus has ECAM 0xf0000000-0xffffffff and its I/O APIC
// at 0xfec00000, host.AcpiCorpus.)
bool on_the_hpet(const Platform& p, PhysRange window) {
    return p.hpet_state == Found::Parsed &&
           PhysRange::from_size(PhysAddr{p.hpet.base.address}, kHpetRegisterBytes).overlaps(window);
}

// Takes the I/O APICs on another device's registers off the MADT's list.
void remove_misplaced_io_apics(Platform& p) {
    p.misplaced_io_apic_count = 0;
    usize kept = 0;
    for (usize i = 0; i < p.madt.io_apic_count; ++i) {
        const IoApic& chip = p.madt.io_apics[i];
        const PhysRange window = PhysRange::from_size(PhysAddr{chip.address}, kIoApicRegisterBytes);
        if (on_the_hpet(p, window)) {
            p.misplaced_io_apics[p.misplaced_io_apic_count++] = {chip.id, chip.address, "HPET"};
            continue;
        }
        p.madt.io_apics[kept++] = chip;
    }
    p.madt.io_apic_count = kept;
}

}  // namespace

Result<void, Error> discover(PhysicalReader& reader, PhysAddr rsdp_phys, Platform& out,
                             ktl::span<SuppliedTable> supplied) {
    out.madt_state = out.fadt_state = out.hpet_state = out.mcfg_state = Found::Absent;
    out.madt_walk_stopped = false;
    auto rsdp = read_rsdp(reader, rsdp_phys);
    if (!rsdp) return rsdp.error();
    auto listed = TableList::discover(reader, *rsdp, out.tables);
    if (!listed) return listed.error();
    // Before anything is parsed: what the user supplies is what is used.
    for (SuppliedTable& s : supplied) s.outcome = out.tables.override_with(reader, s.phys, s.size);

    parse_one(reader, out.tables, "FACP", parse_fadt, out.fadt_state, out.fadt_error, out.fadt);
    parse_one(reader, out.tables, "HPET", parse_hpet, out.hpet_state, out.hpet_error, out.hpet);
    parse_one(reader, out.tables, "MCFG", parse_mcfg, out.mcfg_state, out.mcfg_error, out.mcfg);

    // The MADT is parsed in place: it is too large to return by value.
    if (const TableEntry* entry = out.tables.find(Signature::of("APIC"))) {
        const Bytes bytes{TableList::bytes(reader, *entry)};
        auto walked = parse_madt(bytes, out.madt);
        if (walked) {
            out.madt_state = Found::Parsed;
        } else if (walked.error().offset != 0) {
            // An entry error: the entries before it are still good.
            out.madt_state = Found::Parsed;
            out.madt_walk_stopped = true;
            out.madt_error = walked.error();
        } else {
            out.madt_state = Found::Failed;
            out.madt_error = walked.error();
        }
    }
    remove_misplaced_io_apics(out);
    return {};
}

}  // namespace kernel::acpi
