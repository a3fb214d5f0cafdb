// PCI configuration space access: one interface, several mechanisms. The
// legacy ports 0xCF8/0xCFC (port_access.hpp) reach the first 256 bytes of
// each function; ECAM (ecam_access.hpp: memory-mapped, from the ACPI MCFG)
// reaches all 4096. Enumeration (enumerate.hpp) sees only
// this interface, so it runs unchanged over either, and over the fake
// configuration spaces of the host tests and the fuzzer.
#pragma once

#include "lib/ktl/types.hpp"

namespace drivers::pci {

// A function's place: bus 0-255, device 0-31, function 0-7.
struct Address {
    u8 bus = 0;
    u8 device = 0;
    u8 function = 0;

    friend constexpr bool operator==(const Address&, const Address&) = default;
    // Sorting order, as lspci lists: bus, then device, then function.
    [[nodiscard]] constexpr u32 key() const {
        return (u32{bus} << 8) | (u32{device} << 3) | function;
    }
};

inline constexpr u8 kDevicesPerBus = 32;
inline constexpr u8 kFunctionsPerDevice = 8;
inline constexpr u32 kBusCount = 256;

class ConfigAccess {
public:
    // Offsets are byte offsets into the function's configuration space,
    // aligned to the access width and below size(); the implementations
    // refuse (read all ones, ignore writes) anything else, as hardware does
    // for a function that is not there.
    virtual u8 read8(Address a, u16 offset) = 0;
    virtual u16 read16(Address a, u16 offset) = 0;
    virtual u32 read32(Address a, u16 offset) = 0;
    virtual void write8(Address a, u16 offset, u8 value) = 0;
    virtual void write16(Address a, u16 offset, u16 value) = 0;
    virtual void write32(Address a, u16 offset, u32 value) = 0;
    // 256 (legacy ports, conventional PCI) or 4096 (ECAM, PCI Express).
    [[nodiscard]] virtual u16 size() const = 0;
    [[nodiscard]] virtual const char* name() const = 0;

protected:
    ~ConfigAccess() = default;
};

// True when an access of `width` bytes at `offset` is aligned and inside a
// space of `size` bytes: what every implementation checks first.
[[nodiscard]] constexpr bool valid_offset(u16 offset, u16 width, u16 size) {
    return offset % width == 0 && u32{offset} + width <= size;
}

}  // namespace drivers::pci
