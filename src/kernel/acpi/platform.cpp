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
    return {};
}

}  // namespace kernel::acpi
