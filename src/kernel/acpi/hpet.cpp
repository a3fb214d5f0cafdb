#include "kernel/acpi/hpet.hpp"

#include "kernel/acpi/header.hpp"

namespace kernel::acpi {

Result<Hpet, TableError> parse_hpet(Bytes table) {
    auto header = read_header(table);
    if (!header) return TableError{header.error(), 0};
    if (!(header->signature == Signature::of("HPET"))) return TableError{Error::BadSignature, 0};
    if (header->length < kHpetLength || header->length > table.size())
        return TableError{Error::TooShort, 0};
    Hpet h{};
    h.event_timer_block_id = table.u32_at(36);
    h.base = GenericAddress::read(table, 40);
    h.number = table.u8_at(52);
    h.min_tick = table.u16_at(53);
    h.page_protection = table.u8_at(55);
    return h;
}

}  // namespace kernel::acpi
