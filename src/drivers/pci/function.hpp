// What enumeration learns about one PCI function (enumerate.hpp).
#pragma once

#include "drivers/pci/config_access.hpp"
#include "lib/ktl/types.hpp"

namespace drivers::pci {

enum class BarKind : u8 {
    Unused,  // reads as zero: not implemented
    Io,
    Memory32,
    Memory64,  // takes this BAR and the next
    Bogus,     // a 64-bit BAR in the last slot, or a reserved memory type
};

struct Bar {
    BarKind kind = BarKind::Unused;
    bool prefetchable = false;
    u64 base = 0;
    u64 size = 0;  // bytes the device decodes; 0 when unused or bogus
};

// Capability IDs (PCI Local Bus Specification 3.0, appendix H).
inline constexpr u8 kCapMsi = 0x05;
inline constexpr u8 kCapPciExpress = 0x10;
inline constexpr u8 kCapMsiX = 0x11;

struct Capability {
    u8 id = 0;
    u8 offset = 0;
};

enum class HeaderKind : u8 { Device = 0, Bridge = 1, CardBus = 2, Unknown = 0x7F };

struct Function {
    Address address;
    u16 vendor_id = 0;
    u16 device_id = 0;
    u8 class_code = 0;
    u8 subclass = 0;
    u8 prog_if = 0;
    u8 revision = 0;
    u8 header_type = 0;  // bit 7 (multifunction) cleared
    bool multifunction = false;
    u8 interrupt_pin = 0;   // 0 none, 1-4 INTA#-INTD#
    u8 interrupt_line = 0;  // what the firmware routed it to (0xFF unknown)
    // Bridges (header type 1): the buses behind them.
    u8 primary_bus = 0;
    u8 secondary_bus = 0;
    u8 subordinate_bus = 0;

    static constexpr u8 kMaxBars = 6;
    u8 bar_count = 0;  // 6 for devices, 2 for bridges, 0 otherwise
    Bar bars[kMaxBars];

    static constexpr u8 kMaxCapabilities = 16;
    u8 capability_count = 0;    // kept in capabilities[]
    u8 capabilities_total = 0;  // found, kept or not
    bool capability_loop = false;
    Capability capabilities[kMaxCapabilities];

    [[nodiscard]] HeaderKind header_kind() const {
        return header_type <= 2 ? static_cast<HeaderKind>(header_type) : HeaderKind::Unknown;
    }
    [[nodiscard]] u16 class_word() const { return static_cast<u16>(class_code << 8 | subclass); }
    [[nodiscard]] bool has_capability(u8 id) const {
        for (u8 i = 0; i < capability_count; ++i)
            if (capabilities[i].id == id) return true;
        return false;
    }
};

}  // namespace drivers::pci
