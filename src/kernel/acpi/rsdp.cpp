#include "kernel/acpi/rsdp.hpp"

#include "kernel/acpi/header.hpp"

namespace kernel::acpi {
namespace {

constexpr char kSignature[] = "RSD PTR ";
// v2 structures are 36 bytes; a longer claimed length is accepted up to
// this bound (future revisions may extend it), never trusted beyond.
constexpr u32 kMaxRsdpLength = 4096;

}  // namespace

Result<Rsdp, Error> parse_rsdp(Bytes bytes) {
    if (!bytes.covers(0, kRsdpV1Size)) return Error::TooShort;
    for (usize i = 0; i < 8; ++i)
        if (bytes.u8_at(i) != static_cast<u8>(kSignature[i])) return Error::BadSignature;
    if (!checksum_ok(bytes.sub(0, kRsdpV1Size).span())) return Error::BadChecksum;
    Rsdp r{};
    for (usize i = 0; i < 6; ++i) r.oem_id[i] = static_cast<char>(bytes.u8_at(9 + i));
    r.revision = bytes.u8_at(15);
    r.rsdt = bytes.u32_at(16);
    if (r.revision >= 2) {
        const u32 length = bytes.u32_at(20);
        r.extended_ok = length >= kRsdpV2Size && length <= kMaxRsdpLength &&
                        bytes.covers(0, length) && checksum_ok(bytes.sub(0, length).span());
        if (r.extended_ok) r.xsdt = bytes.u64_at(24);
    }
    if (r.xsdt == 0 && r.rsdt == 0) return Error::NoRootTable;
    return r;
}

Result<Rsdp, Error> read_rsdp(PhysicalReader& reader, PhysAddr at) {
    const ktl::span<const u8> v1 = reader.read(at, kRsdpV1Size);
    if (v1.empty()) return Error::Unreadable;
    Bytes bytes{v1};
    if (bytes.u8_at(15) >= 2) {
        // The length field lies beyond the v1 part: read the v2 size first.
        const ktl::span<const u8> v2 = reader.read(at, kRsdpV2Size);
        const u32 length = Bytes{v2}.u32_at(20);
        if (length >= kRsdpV2Size && length <= kMaxRsdpLength) {
            const ktl::span<const u8> full = reader.read(at, length);
            if (!full.empty()) bytes = Bytes{full};
        }
    }
    return parse_rsdp(bytes);
}

}  // namespace kernel::acpi
