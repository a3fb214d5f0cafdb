#include "drivers/hpet/timer_registers.hpp"

#include "lib/no_unroll.hpp"

namespace drivers::hpet {

TimerCaps decode_timer(u64 config) {
    return {(config & kTimerPeriodicCap) != 0, (config & kTimerWideCap) != 0,
            static_cast<u32>(config >> 32)};
}

u64 encode_timer(u64 current, TimerMode mode, u8 route) {
    constexpr u64 kWritten = kTimerLevel | kTimerEnable | kTimerPeriodic | kTimerValueSet |
                             kTimer32Bit | kTimerRouteMask | kTimerFsb;
    u64 value = (current & ~kWritten) | ((u64{route} << kTimerRouteShift) & kTimerRouteMask);
    if (mode != TimerMode::Off) value |= kTimerEnable;
    if (mode == TimerMode::Periodic) value |= kTimerPeriodic | kTimerValueSet;
    return value;
}

u64 ticks_for_ns(u64 ns, u32 period_fs) {
    if (period_fs == 0) return 1;
    constexpr u64 kFsPerNs = 1'000'000;
    // ns * 10^6 / period overflows past 18 s: with ns = q * period + r it
    // is q * 10^6 + r * 10^6 / period, exact, and r * 10^6 < 10^14.
    const u64 q = ns / period_fs;
    if (q > (~0ULL - kFsPerNs) / kFsPerNs) return ~0ULL;
    const u64 ticks = q * kFsPerNs + ((ns % period_fs) * kFsPerNs + period_fs - 1) / period_fs;
    return ticks == 0 ? 1 : ticks;
}

u32 isa_inputs(const IsaOverride* overrides, usize count) {
    // Input 0 also when IRQ 0 is moved: it is then the 8259s' ExtINT pin.
    u32 used = 1;
    KEEL_NO_UNROLL  // runs once, at boot: rolled is less code to translate
        for (u8 irq = 0; irq < 16; ++irq) {
        u32 gsi = irq;
        KEEL_NO_UNROLL
        for (usize i = 0; i < count; ++i)
            if (overrides[i].irq == irq) gsi = overrides[i].gsi;
        if (gsi < 32) used |= 1U << gsi;
    }
    return used;
}

u32 free_routes(u32 route_cap, u32 isa) { return route_cap & ~isa; }

}  // namespace drivers::hpet
