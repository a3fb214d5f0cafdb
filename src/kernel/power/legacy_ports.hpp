// The PC's legacy I/O ports that other drivers own: a FADT that places an
// ACPI register block on them (hostile or broken firmware) would have the
// power driver's writes reach that device. Found by a random FADT sweep: a
// PM1 event block at port 0x64 sent its status writes to the 8042 as
// commands, and the machine reset. Hardware-independent (host-tested in
// tests/host/power_test.cpp). The FADT's reset register is not checked:
// 0xcf9, inside the PCI configuration ports, is where it usually is.
#pragma once

#include "kernel/acpi/gas.hpp"
#include "kernel/power/pm1.hpp"
#include "lib/ktl/types.hpp"

namespace kernel::power {

struct LegacyPorts {
    u16 first;
    u16 count;
    const char* device;
};
inline constexpr LegacyPorts kLegacyPorts[] = {
    {0x20, 2, "8259 PIC"},           {0x40, 4, "PIT"},      {0x60, 5, "8042 controller"},
    {0x70, 2, "CMOS clock"},         {0xA0, 2, "8259 PIC"}, {0x3F8, 8, "COM1 UART"},
    {0xCF8, 8, "PCI configuration"},
};

// The device whose ports an I/O-space register overlaps, or null (also for
// a memory-space one).
[[nodiscard]] constexpr const char* legacy_device_at(const Register& r) {
    if (r.where.space != static_cast<u8>(acpi::AddressSpace::Io)) return nullptr;
    const u64 start = r.where.address;
    const u64 end = start + (r.bytes == 0 ? 1 : r.bytes);
    for (const LegacyPorts& p : kLegacyPorts)
        if (start < u64{p.first} + p.count && u64{p.first} < end) return p.device;
    return nullptr;
}

}  // namespace kernel::power
