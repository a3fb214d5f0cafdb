// The boot log's account of the platform, as lines a user reads:
//
//   acpi: RSDP revision 0 (BOCHS), RSDT at 0xffe1bef
//   acpi: 7 tables (FACP APIC HPET MCFG WAET DSDT FACS)
//   cpus: 4 in the MADT (APIC IDs 0 1 2 3)
//   ioapic 0 at 0xfec00000, GSI 0-23
//   irq override: IRQ 0 -> GSI 2 (edge, high)
//   hpet at 0xfed00000
//   pci ecam: segment 0 buses 0-255 at 0xb0000000
//
// plus a line for every problem (a bad checksum names its table). Portable:
// the kernel passes a sink that logs each line, the host tests a buffer.
#pragma once

#include "kernel/acpi/madt.hpp"
#include "kernel/acpi/platform.hpp"
#include "lib/format/sink.hpp"
#include "lib/ktl/types.hpp"

namespace kernel::acpi {

// Writes the report, one line per '\n'. An I/O APIC's GSI range needs its
// input count, which its version register holds, not the MADT: the boot
// reads it into the IoApic's `inputs`; 0 (unknown) prints the GSI base alone.
void write_report(kfmt::Sink& out, const Platform& platform);

// "edge, high", "level, low"...; conforming flags are resolved for the ISA
// bus (edge, active high) when `isa` is set.
void write_inti_flags(kfmt::Sink& out, u16 flags, bool isa);

}  // namespace kernel::acpi
