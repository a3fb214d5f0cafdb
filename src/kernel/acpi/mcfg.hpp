// The PCI Express memory-mapped configuration table, "MCFG" (PCI Firmware
// specification 3.2 §4.1.2): where each segment's ECAM window is.
#pragma once

#include "kernel/acpi/bytes.hpp"
#include "kernel/acpi/error.hpp"
#include "lib/result.hpp"

namespace kernel::acpi {

// One bus's configuration space in an ECAM window: 32 devices x 8 functions
// x 4 KiB (PCI Express Base 4.0, 7.2.2). The MCFG's check of a window and the
// PCI driver's addressing both use it.
inline constexpr u64 kEcamBusBytes = u64{1} << 20;

struct EcamRegion {
    u64 base;  // the address of bus 0's configuration space, even when start_bus > 0
    u16 segment;
    u8 start_bus;
    u8 end_bus;
};

struct Mcfg {
    static constexpr usize kCapacity = 16;
    EcamRegion regions[kCapacity];
    usize count;
    usize dropped;        // allocations beyond kCapacity
    usize invalid;        // end bus below start bus: skipped
    usize misplaced;      // base 0, not 1 MiB aligned, or the window wraps: skipped
    bool trailing_bytes;  // the length is not 44 + 16 n; the partial entry is ignored
};

Result<Mcfg, TableError> parse_mcfg(Bytes table);

}  // namespace kernel::acpi
