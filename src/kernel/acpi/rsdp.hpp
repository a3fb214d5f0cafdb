// The Root System Description Pointer (ACPI 6.5 §5.2.5): where the XSDT or
// RSDT is. Revision 0 is the 20-byte ACPI 1.0 structure with an RSDT
// address only; revision 2 and later add a length, an XSDT address and an
// extended checksum over the whole structure.
#pragma once

#include "kernel/acpi/bytes.hpp"
#include "kernel/acpi/error.hpp"
#include "kernel/acpi/reader.hpp"
#include "lib/address.hpp"
#include "lib/result.hpp"

namespace kernel::acpi {

inline constexpr usize kRsdpV1Size = 20;
inline constexpr usize kRsdpV2Size = 36;

struct Rsdp {
    u8 revision;
    char oem_id[6];
    u32 rsdt;
    u64 xsdt;  // 0 in a v1 RSDP, or when the v2 part is unusable
    // For revision >= 2: whether the length and extended checksum are
    // valid. When they are not, the XSDT address is not trusted (xsdt = 0)
    // and the RSDT is used, as an ACPI 1.0 OS would.
    bool extended_ok;

    // The root table to walk: the XSDT when there is one, else the RSDT.
    [[nodiscard]] bool uses_xsdt() const { return xsdt != 0; }
    [[nodiscard]] PhysAddr root() const { return PhysAddr{uses_xsdt() ? xsdt : rsdt}; }
};

// From bytes already in hand (a Multiboot2 tag's copy, or a fuzzer input).
// Fails on a wrong signature, a bad v1 checksum (the test that tells a real
// RSDP from stray "RSD PTR " bytes), or when no root table address is left.
Result<Rsdp, Error> parse_rsdp(Bytes bytes);
// From physical memory: reads 20 bytes, then the full length for v2+.
Result<Rsdp, Error> read_rsdp(PhysicalReader& reader, PhysAddr at);

}  // namespace kernel::acpi
