#include "kernel/efi/system_table.hpp"

#include "kernel/acpi/bytes.hpp"

namespace kernel::efi {

namespace {

// Header: Signature u64, Revision u32, HeaderSize u32, CRC32 u32, Reserved
// u32; then FirmwareVendor (a pointer) and FirmwareRevision u32.
constexpr usize kRevision = 8, kHeaderSize = 12, kCrc = 16, kVendor = 24;

}  // namespace

ktl::string_view describe(SystemTableError error) {
    switch (error) {
        case SystemTableError::TooShort:
            return "too short";
        case SystemTableError::BadSignature:
            return "no IBI SYST signature";
        case SystemTableError::BadHeaderSize:
            return "an impossible header size";
    }
    return "unknown error";
}

u32 crc32(ktl::span<const u8> bytes, usize zeroed) {
    u32 crc = 0xFFFF'FFFF;
    for (usize i = 0; i < bytes.size(); ++i) {
        const u8 byte = i >= zeroed && i - zeroed < 4 ? u8{0} : bytes[i];
        crc ^= byte;
        for (int bit = 0; bit < 8; ++bit) crc = (crc >> 1) ^ (0xEDB8'8320U & (0U - (crc & 1U)));
    }
    return ~crc;
}

Result<SystemTable, SystemTableError> parse_system_table(ktl::span<const u8> bytes, bool is_64) {
    const usize firmware_revision_at = is_64 ? kVendor + 8 : kVendor + 4;
    const usize fields_end = firmware_revision_at + 4;
    if (bytes.size() < fields_end) return SystemTableError::TooShort;
    // Little-endian and bounds-checked, like the ACPI tables beside it.
    const acpi::Bytes table{bytes};
    if (table.u64_at(0) != kSystemTableSignature) return SystemTableError::BadSignature;
    SystemTable t{};
    t.revision = table.u32_at(kRevision);
    t.header_size = table.u32_at(kHeaderSize);
    if (t.header_size < fields_end || t.header_size > bytes.size())
        return SystemTableError::BadHeaderSize;
    t.crc_ok = crc32(bytes.subspan(0, t.header_size), kCrc) == table.u32_at(kCrc);
    t.firmware_vendor = table.le(kVendor, is_64 ? 8 : 4);
    t.firmware_revision = table.u32_at(firmware_revision_at);
    return t;
}

ktl::string_view RevisionText::view() const {
    usize n = 0;
    while (n < sizeof chars && chars[n] != '\0') ++n;
    return {chars, n};
}

RevisionText revision_text(u32 revision) {
    // As Linux prints it ("EFI v2.70"): the minor in two digits at least,
    // so 2.3.1, whose minor is 31, reads 2.31.
    RevisionText text{};
    usize n = 0;
    auto put_number = [&](u32 value, usize min_digits) {
        char digits[10];
        usize count = 0;
        do {
            digits[count++] = static_cast<char>('0' + value % 10);
            value /= 10;
        } while (value != 0 || count < min_digits);
        while (count != 0) text.chars[n++] = digits[--count];
    };
    put_number(revision >> 16, 1);
    text.chars[n++] = '.';
    put_number(revision & 0xFFFF, 2);
    return text;
}

usize vendor_text(ktl::span<const u8> ucs2, ktl::span<char> out) {
    usize n = 0;
    for (usize i = 0; i + 1 < ucs2.size() && n < out.size(); i += 2) {
        const u16 c = static_cast<u16>(ucs2[i] | ucs2[i + 1] << 8);
        if (c == 0) break;
        out[n++] = c >= 0x20 && c < 0x7F ? static_cast<char>(c) : '?';
    }
    return n;
}

}  // namespace kernel::efi
