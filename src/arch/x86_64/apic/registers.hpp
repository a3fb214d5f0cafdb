// The local APIC's registers by their xAPIC MMIO offsets (SDM Vol. 3A,
// 11.4.1, table 11-1), and how x2APIC mode reaches the same registers
// through MSRs (SDM Vol. 3A, 11.12.1.2, table 11-6). Hardware-independent:
// host-tested in tests/host/apic_test.cpp, since QEMU TCG has no x2APIC.
#pragma once

#include "lib/ktl/optional.hpp"
#include "lib/ktl/types.hpp"

namespace arch::apic {

namespace reg {
inline constexpr u32 kId = 0x020;
inline constexpr u32 kVersion = 0x030;
inline constexpr u32 kTaskPriority = 0x080;
inline constexpr u32 kEoi = 0x0B0;
inline constexpr u32 kLogicalDestination = 0x0D0;
inline constexpr u32 kDestinationFormat = 0x0E0;  // xAPIC only
inline constexpr u32 kSpurious = 0x0F0;
inline constexpr u32 kInService = 0x100;  // 8 registers, 0x10 apart
inline constexpr u32 kErrorStatus = 0x280;
inline constexpr u32 kIcrLow = 0x300;
inline constexpr u32 kIcrHigh = 0x310;  // xAPIC only: x2APIC's ICR is one 64-bit MSR
inline constexpr u32 kLvtTimer = 0x320;
inline constexpr u32 kLvtLint0 = 0x350;
inline constexpr u32 kLvtLint1 = 0x360;
inline constexpr u32 kLvtError = 0x370;
inline constexpr u32 kTimerInitialCount = 0x380;
inline constexpr u32 kTimerCurrentCount = 0x390;
inline constexpr u32 kTimerDivide = 0x3E0;
inline constexpr u32 kSelfIpi = 0x3F0;  // x2APIC only
}  // namespace reg

// The MSR that holds register `offset` in x2APIC mode: 0x800 + offset / 16.
// None for offsets that are not x2APIC registers: the DFR and ICR high
// (gone in x2APIC), the arbitration priority and remote read registers,
// reserved slots, and offsets that are not 16-byte aligned.
[[nodiscard]] ktl::optional<u32> x2apic_msr(u32 offset);

// The APIC ID from the ID register's value: bits 31:24 in xAPIC mode, all
// 32 bits in x2APIC mode.
[[nodiscard]] constexpr u32 id_from_register(u32 value, bool x2apic) {
    return x2apic ? value : value >> 24;
}

// An interrupt command: the low half (vector, delivery mode, shorthand) to
// `destination`. xAPIC writes ICR high (destination in bits 31:24) first,
// then ICR low, which sends; x2APIC writes both halves at once, the
// destination in bits 63:32.
struct XapicCommand {
    u32 high, low;
};
[[nodiscard]] constexpr XapicCommand xapic_command(u32 low, u32 destination) {
    return {(destination & 0xFF) << 24, low};
}
[[nodiscard]] constexpr u64 x2apic_command(u32 low, u32 destination) {
    return (static_cast<u64>(destination) << 32) | low;
}

// ISR/IRR/TMR: eight 32-bit registers of one bit per vector.
struct VectorBit {
    u32 offset;  // of the register holding `vector`, from the first
    u32 mask;
};
[[nodiscard]] constexpr VectorBit vector_bit(u8 vector) {
    return {static_cast<u32>(vector / 32) * 0x10, 1U << (vector % 32)};
}

// Timer divide configuration values (SDM Vol. 3A, 11.5.4, figure 11-10):
// bits 0, 1 and 3. The divisor must be a power of two from 1 to 128;
// none otherwise.
[[nodiscard]] ktl::optional<u32> timer_divide_value(u32 divisor);

}  // namespace arch::apic
