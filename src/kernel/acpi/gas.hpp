// The Generic Address Structure (ACPI 6.5 §5.2.3.2): a register in memory,
// I/O or PCI configuration space. The FADT's older 32-bit block fields are
// turned into one too, so users see a single shape.
#pragma once

#include "kernel/acpi/bytes.hpp"
#include "lib/ktl/string_view.hpp"
#include "lib/ktl/types.hpp"

namespace kernel::acpi {

enum class AddressSpace : u8 { Memory = 0, Io = 1, PciConfig = 2 };

struct GenericAddress {
    u8 space = 0;  // AddressSpace, or another value the spec defines
    u8 bit_width = 0;
    u8 bit_offset = 0;
    u8 access_size = 0;
    u64 address = 0;

    // ACPI marks an unused register with address 0.
    [[nodiscard]] constexpr bool present() const { return address != 0; }
    static GenericAddress read(Bytes bytes, usize offset);
    static constexpr GenericAddress io_port(u32 port, u8 bytes) {
        return {static_cast<u8>(AddressSpace::Io), static_cast<u8>(bytes * 8), 0, 0, port};
    }
    friend constexpr bool operator==(const GenericAddress&, const GenericAddress&) = default;
};

inline constexpr usize kGenericAddressSize = 12;

// "memory", "io", "pci config" or "space N".
[[nodiscard]] ktl::string_view space_name(u8 space);

}  // namespace kernel::acpi
