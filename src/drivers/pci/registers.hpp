// Configuration space register offsets and bits (PCI Local Bus
// Specification 3.0, chapter 6; PCI-to-PCI Bridge Architecture 1.2).
#pragma once

#include "lib/ktl/types.hpp"

namespace drivers::pci::reg {

inline constexpr u16 kVendorId = 0x00;
inline constexpr u16 kDeviceId = 0x02;
inline constexpr u16 kCommand = 0x04;
inline constexpr u16 kStatus = 0x06;
inline constexpr u16 kRevision = 0x08;
inline constexpr u16 kProgIf = 0x09;
inline constexpr u16 kSubclass = 0x0A;
inline constexpr u16 kClass = 0x0B;
inline constexpr u16 kHeaderType = 0x0E;
inline constexpr u16 kBar0 = 0x10;
inline constexpr u16 kPrimaryBus = 0x18;  // bridges
inline constexpr u16 kSecondaryBus = 0x19;
inline constexpr u16 kSubordinateBus = 0x1A;
inline constexpr u16 kCapabilityPointer = 0x34;  // devices and bridges
inline constexpr u16 kCardBusCapabilityPointer = 0x14;
inline constexpr u16 kInterruptLine = 0x3C;
inline constexpr u16 kInterruptPin = 0x3D;

inline constexpr u16 kCommandIo = 1U << 0;
inline constexpr u16 kCommandMemory = 1U << 1;
inline constexpr u16 kStatusCapabilities = 1U << 4;
inline constexpr u8 kHeaderMultifunction = 0x80;

// Class codes (PCI Code and ID Assignment Specification).
inline constexpr u8 kClassBridge = 0x06;
inline constexpr u8 kSubclassHostBridge = 0x00;

inline constexpr u32 kBarIo = 1U << 0;
inline constexpr u32 kBarMemTypeMask = 3U << 1;
inline constexpr u32 kBarMem64 = 2U << 1;
inline constexpr u32 kBarMemReserved = 3U << 1;
inline constexpr u32 kBarPrefetchable = 1U << 3;

inline constexpr u16 kNoVendor = 0xFFFF;
// The first byte after the standard header: capabilities live at or above.
inline constexpr u8 kFirstCapability = 0x40;

}  // namespace drivers::pci::reg
