#include "kernel/acpi/header.hpp"

namespace kernel::acpi {

Signature Signature::from(Bytes table) {
    Signature s;
    for (usize i = 0; i < 4; ++i) s.bytes[i] = static_cast<char>(table.u8_at(i));
    return s;
}

Signature::Text Signature::text() const {
    Text t{};
    for (usize i = 0; i < 4; ++i) {
        const char c = bytes[i];
        t.chars[i] = (c >= 0x20 && c < 0x7f) ? c : '?';
    }
    t.chars[4] = '\0';
    return t;
}

Result<Header, Error> read_header(Bytes table) {
    if (!table.covers(0, kHeaderSize)) return Error::TooShort;
    Header h{};
    h.signature = Signature::from(table);
    h.length = table.u32_at(4);
    h.revision = table.u8_at(8);
    for (usize i = 0; i < 6; ++i) h.oem_id[i] = static_cast<char>(table.u8_at(10 + i));
    return h;
}

bool checksum_ok(ktl::span<const u8> bytes) {
    u8 sum = 0;
    for (u8 b : bytes) sum = static_cast<u8>(sum + b);
    return sum == 0;
}

Result<Header, Error> check_length(Bytes table) {
    auto header = read_header(table);
    if (!header) return header.error();
    if (header->length < kHeaderSize) return Error::TooShort;
    if (header->length > kMaxTableLength) return Error::TooLong;
    if (header->length > table.size()) return Error::TooShort;
    return header;
}

}  // namespace kernel::acpi
