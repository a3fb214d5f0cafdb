// What a read of an ACPI fixed-hardware register means before its bits are
// looked at. A read nothing decodes (an I/O port no device claims, or a
// register drivers/power could not reach) gives all ones in every byte of
// the access, and the access is as wide as the register: 0xFF, 0xFFFF or
// 0xFFFF'FFFF. drivers/power/registers.hpp's read() returns 0xFFFF'FFFF for
// an absent register whatever its width, so only the register's own bytes
// are compared. Real PM1 registers read their reserved bits as 0 (ACPI 6.5
// §4.8.3), so all ones never is a genuine value of theirs.
//
// Hardware-independent: host-tested in tests/host/power_events_test.cpp;
// pm1.hpp builds the PM1 decisions on it.
#pragma once

#include "lib/ktl/types.hpp"

namespace kernel::power {

// The bits an access of `bytes` bytes carries (0 for a width of 0).
[[nodiscard]] constexpr u32 width_mask(u8 bytes) {
    if (bytes == 0) return 0;
    return bytes >= 4 ? 0xFFFF'FFFFU : (1U << (bytes * 8U)) - 1U;
}

// Whether `value`, read from a register `bytes` wide, is the floating bus:
// all ones in the register's bytes. A width of 0 (no register) counts too.
[[nodiscard]] constexpr bool reads_nothing(u32 value, u8 bytes) {
    const u32 mask = width_mask(bytes);
    return mask == 0 || (value & mask) == mask;
}

}  // namespace kernel::power
