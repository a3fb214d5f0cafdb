// The PCI Express memory-mapped configuration table, "MCFG" (PCI Firmware
// specification 3.2 §4.1.2): where each segment's ECAM window is.
#pragma once

#include "kernel/acpi/bytes.hpp"
#include "kernel/acpi/error.hpp"
#include "lib/result.hpp"

namespace kernel::acpi {

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
