#include "kernel/acpi/madt.hpp"

#include "kernel/acpi/header.hpp"

namespace kernel::acpi {
namespace {

constexpr usize kLocalApicAddress = 36, kFlags = 40, kEntries = 44;
constexpr u8 kEnabled = 1, kOnlineCapable = 2;

// The fixed size of each known entry type; 0 for types not parsed.
constexpr u8 min_length(u8 type) {
    switch (type) {
        case madt_entry::kLocalApic:
            return 8;
        case madt_entry::kIoApic:
            return 12;
        case madt_entry::kOverride:
            return 10;
        case madt_entry::kNmiSource:
            return 8;
        case madt_entry::kLocalApicNmi:
            return 6;
        case madt_entry::kLocalApicAddress:
            return 12;
        case madt_entry::kLocalX2Apic:
            return 16;
        case madt_entry::kLocalX2ApicNmi:
            return 12;
        default:
            return 0;
    }
}

void add_cpu(Madt& m, u32 apic_id, u32 uid, bool x2apic, u32 flags) {
    if ((flags & (kEnabled | kOnlineCapable)) == 0) return;
    for (usize i = 0; i < m.cpu_count; ++i) {
        if (m.cpus[i].apic_id == apic_id) {
            ++m.duplicate_cpus;
            return;
        }
    }
    if (m.cpu_count == Madt::kMaxCpus) {
        ++m.dropped;
        return;
    }
    m.cpus[m.cpu_count++] = {apic_id, uid, x2apic, (flags & kEnabled) != 0,
                             (flags & kEnabled) == 0};
}

template <typename T, usize N>
void append(T (&array)[N], usize& count, usize& dropped, const T& value) {
    if (count == N) {
        ++dropped;
        return;
    }
    array[count++] = value;
}

void decode(Madt& m, u8 type, Bytes e) {
    switch (type) {
        case madt_entry::kLocalApic:
            add_cpu(m, e.u8_at(3), e.u8_at(2), false, e.u32_at(4));
            break;
        case madt_entry::kLocalX2Apic:
            add_cpu(m, e.u32_at(4), e.u32_at(12), true, e.u32_at(8));
            break;
        case madt_entry::kIoApic:
            append(m.io_apics, m.io_apic_count, m.dropped,
                   IoApic{e.u8_at(2), e.u32_at(4), e.u32_at(8), 0});
            break;
        case madt_entry::kOverride:
            append(m.overrides, m.override_count, m.dropped,
                   InterruptOverride{e.u8_at(2), e.u8_at(3), e.u32_at(4), e.u16_at(8)});
            break;
        case madt_entry::kNmiSource:
            append(m.nmi_sources, m.nmi_source_count, m.dropped,
                   NmiSource{e.u16_at(2), e.u32_at(4)});
            break;
        case madt_entry::kLocalApicNmi:
            append(m.local_nmis, m.local_nmi_count, m.dropped,
                   LocalNmi{e.u8_at(2), e.u8_at(2) == 0xff, e.u16_at(3), e.u8_at(5)});
            break;
        case madt_entry::kLocalX2ApicNmi:
            append(m.local_nmis, m.local_nmi_count, m.dropped,
                   LocalNmi{e.u32_at(4), e.u32_at(4) == 0xffffffff, e.u16_at(2), e.u8_at(8)});
            break;
        case madt_entry::kLocalApicAddress:
            m.local_apic_address = e.u64_at(4);
            break;
        default:
            break;
    }
}

}  // namespace

usize Madt::enabled_cpus() const {
    usize n = 0;
    for (usize i = 0; i < cpu_count; ++i)
        if (cpus[i].enabled) ++n;
    return n;
}

Result<void, TableError> parse_madt(Bytes table, Madt& out) {
    out = Madt{};
    auto header = read_header(table);
    if (!header) return TableError{header.error(), 0};
    if (!(header->signature == Signature::of("APIC"))) return TableError{Error::BadSignature, 0};
    if (header->length < kEntries || header->length > table.size())
        return TableError{Error::TooShort, 0};
    const Bytes t = table.sub(0, header->length);
    out.revision = header->revision;
    out.local_apic_address = t.u32_at(kLocalApicAddress);
    out.flags = t.u32_at(kFlags);

    // Each step advances by at least 2 bytes, so the walk ends within
    // length / 2 steps whatever the entries say.
    usize offset = kEntries;
    while (offset < t.size()) {
        if (!t.covers(offset, 2)) return TableError{Error::EntryPastEnd, static_cast<u32>(offset)};
        const u8 type = t.u8_at(offset);
        const u8 length = t.u8_at(offset + 1);
        if (length < 2) return TableError{Error::EntryTooShort, static_cast<u32>(offset)};
        if (!t.covers(offset, length))
            return TableError{Error::EntryPastEnd, static_cast<u32>(offset)};
        ++out.type_counts[type];
        const u8 need = min_length(type);
        if (need == 0) {
            ++out.unknown_entries;
        } else if (length < need) {
            ++out.malformed_entries;
        } else {
            decode(out, type, t.sub(offset, length));
        }
        offset += length;
    }
    return {};
}

}  // namespace kernel::acpi
