// The HPET's comparator registers (IA-PC HPET specification 1.0a, §2.3.8
// and §2.3.9): a timer's configuration and capabilities decoded, the value
// the driver writes to it encoded, nanoseconds turned into main-counter
// ticks, and the choice of the interrupt route. Hardware-independent:
// host-tested; comparator.cpp does the register accesses.
#pragma once

#include "lib/ktl/optional.hpp"
#include "lib/ktl/types.hpp"

namespace drivers::hpet {

// Timer n's registers sit 0x20 apart from 0x100 (§2.3.1).
[[nodiscard]] constexpr usize timer_config_offset(u8 timer) { return 0x100 + 0x20 * usize{timer}; }
[[nodiscard]] constexpr usize timer_comparator_offset(u8 timer) {
    return 0x108 + 0x20 * usize{timer};
}
inline constexpr usize kInterruptStatusOffset = 0x020;  // one write-1-to-clear bit per timer
inline constexpr u64 kConfigLegacyRoute = 1U << 1;      // LEG_RT_CNF: timer 0 -> IRQ 0, 1 -> IRQ 8

// Tn_CONF_CAP bits.
inline constexpr u64 kTimerLevel = 1U << 1;        // Tn_INT_TYPE_CNF: level, not edge
inline constexpr u64 kTimerEnable = 1U << 2;       // Tn_INT_ENB_CNF
inline constexpr u64 kTimerPeriodic = 1U << 3;     // Tn_TYPE_CNF
inline constexpr u64 kTimerPeriodicCap = 1U << 4;  // Tn_PER_INT_CAP (read-only)
inline constexpr u64 kTimerWideCap = 1U << 5;      // Tn_SIZE_CAP: 64-bit comparator (read-only)
inline constexpr u64 kTimerValueSet = 1U << 6;     // Tn_VAL_SET_CNF: next write sets the period
inline constexpr u64 kTimer32Bit = 1U << 8;        // Tn_32MODE_CNF
inline constexpr unsigned kTimerRouteShift = 9;    // Tn_INT_ROUTE_CNF, bits 13:9
inline constexpr u64 kTimerRouteMask = 0x1FULL << kTimerRouteShift;
inline constexpr u64 kTimerFsb = 1U << 14;  // Tn_FSB_EN_CNF: message instead of a line

struct TimerCaps {
    bool periodic;  // can reload itself
    bool wide;      // 64-bit comparator
    u32 route_cap;  // Tn_INT_ROUTE_CAP: bit n set, the timer can drive I/O APIC input n
};
[[nodiscard]] TimerCaps decode_timer(u64 config);

enum class TimerMode : u8 { Off, OneShot, Periodic };

// Timer n's configuration for `mode`, edge-triggered, routed to I/O APIC
// input `route` (ignored under the legacy route, but kept in range), from
// the register's current value: the read-only and reserved bits stay as
// read; FSB delivery and 32-bit mode are turned off. Periodic also sets
// Tn_VAL_SET_CNF, so that the comparator write that follows sets the
// period (§2.3.9.2.2).
[[nodiscard]] u64 encode_timer(u64 current, TimerMode mode, u8 route);

// `ns` as main-counter ticks of `period_fs` femtoseconds, rounded up (a
// timer never fires early) and at least 1; saturated instead of overflowing.
[[nodiscard]] u64 ticks_for_ns(u64 ns, u32 period_fs);

// Which I/O APIC inputs the ISA IRQs use, given the MADT's overrides as
// (irq, gsi) pairs: IRQ n on input n unless an override moves it, and input
// 0 always (where IRQ 0 moved away, the 8259s' ExtINT). A timer routed
// there would share a line with an ISA device (the PIT on input 2).
struct IsaOverride {
    u8 irq;
    u32 gsi;
};
[[nodiscard]] u32 isa_inputs(const IsaOverride* overrides, usize count);

// The route inputs worth trying, lowest first: those the timer can drive,
// below 32, used by no ISA IRQ. 0 when there is none (the caller then
// falls back to the legacy route, where the timer takes over IRQ 0).
[[nodiscard]] u32 free_routes(u32 route_cap, u32 isa);

}  // namespace drivers::hpet
