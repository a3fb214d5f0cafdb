// Reads and writes of the ACPI registers a generic address names, in I/O
// or memory space (PCI configuration space is the reset register's only
// and is written through drivers/pci). A memory-space register must be
// prepared once at boot: its page is mapped uncached then, so that reads
// and writes later (in the power button's interrupt handler, or at
// power-off) never map, allocate or lock. The table of mappings is
// written only by the boot CPU in the Power phase, read-only afterwards.
#pragma once

#include "kernel/power/pm1.hpp"

namespace drivers::power {

// Maps a memory-space register's page (no-op for I/O). False when it is
// in another space or cannot be mapped.
[[nodiscard]] bool prepare(const kernel::power::Register& r);

// 0xFFFF'FFFF when the register is absent or unprepared, whatever its
// width; kernel::power::reads_nothing() (kernel/power/register_value.hpp)
// takes that and a floating bus of the register's own width alike.
[[nodiscard]] u32 read(const kernel::power::Register& r);
void write(const kernel::power::Register& r, u32 value);

}  // namespace drivers::power
