#include "kernel/acpi/mcfg.hpp"

#include "kernel/acpi/header.hpp"

namespace kernel::acpi {
namespace {

constexpr usize kEntries = 44, kEntrySize = 16;
// A window starts on a bus's boundary (kEcamBusBytes, 1 MiB); every MCFG
// of 199 real machines (../shared/acpi-corpus) does. Address 0 is RAM on
// every PC.

bool possible_address(const EcamRegion& r) {
    if (r.base == 0 || r.base % kEcamBusBytes != 0) return false;
    const u64 window_end_offset = (u64{r.end_bus} + 1) * kEcamBusBytes;
    return r.base <= ~u64{0} - window_end_offset + 1;  // base + offset does not wrap
}

}  // namespace

Result<Mcfg, TableError> parse_mcfg(Bytes table) {
    auto header = read_header(table);
    if (!header) return TableError{header.error(), 0};
    if (!(header->signature == Signature::of("MCFG"))) return TableError{Error::BadSignature, 0};
    if (header->length < kEntries || header->length > table.size())
        return TableError{Error::TooShort, 0};
    const Bytes t = table.sub(0, header->length);
    Mcfg m{};
    const usize entries = (t.size() - kEntries) / kEntrySize;
    m.trailing_bytes = (t.size() - kEntries) % kEntrySize != 0;
    for (usize i = 0; i < entries; ++i) {
        const Bytes e = t.sub(kEntries + i * kEntrySize, kEntrySize);
        const EcamRegion r{e.u64_at(0), e.u16_at(8), e.u8_at(10), e.u8_at(11)};
        if (r.end_bus < r.start_bus) {
            ++m.invalid;
        } else if (!possible_address(r)) {
            ++m.misplaced;
        } else if (m.count == Mcfg::kCapacity) {
            ++m.dropped;
        } else {
            m.regions[m.count++] = r;
        }
    }
    return m;
}

}  // namespace kernel::acpi
