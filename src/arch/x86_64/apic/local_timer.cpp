#include "arch/x86_64/apic/local_timer.hpp"

#include "arch/setup.hpp"
#include "arch/x86_64/apic/local_apic.hpp"
#include "arch/x86_64/apic/registers.hpp"
#include "arch/x86_64/apic/timer_math.hpp"
#include "arch/x86_64/bits.h"
#include "arch/x86_64/cpu.hpp"
#include "arch/x86_64/interrupts/interrupt_table.hpp"
#include "kernel/sync/guard.hpp"
#include "kernel/time/tick.hpp"

namespace arch::local_timer {

namespace {

namespace reg = apic::reg;

constexpr u32 kDivisor = 16;
constexpr usize kWindows = 3;

// Written by start() before the first tick; afterwards only the tick
// handler (on the boot CPU) writes g_deadline and g_ticks.
u64 g_timer_hz = 0;
u64 g_period = 0;  // TSC ticks per tick
u32 g_tick_hz = 0;
u8 g_vector = 0;
bool g_deadline_mode = false;
u64 g_deadline = 0;
u64 g_ticks = 0;       // periods elapsed
u64 g_interrupts = 0;  // timer interrupts that ended a period
bool g_masked = false;

u32 lvt(bool masked) {
    return g_vector | (g_deadline_mode ? APIC_LVT_TIMER_TSC_DEADLINE : 0) |
           (masked ? APIC_LVT_MASKED : 0);
}

void arm(u64 deadline) {
    if (g_deadline_mode) {
        wrmsr(MSR_TSC_DEADLINE, deadline);
        return;
    }
    const u64 now = rdtsc();
    lapic::write(reg::kTimerInitialCount, apic::oneshot_count(deadline > now ? deadline - now : 0,
                                                              timestamp_rate(), g_timer_hz));
}

void handle_tick(InterruptFrame& /*frame*/, void* /*context*/) {
    const u64 now = rdtsc();
    if (now < g_deadline) {
        // Early (a count rounded down): not a tick yet, wait for the rest.
        if (!__atomic_load_n(&g_masked, __ATOMIC_RELAXED)) arm(g_deadline);
        lapic::eoi();
        return;
    }
    // Periods that passed without an interrupt (the CPU, or under
    // emulation the host, held it up) still passed: the tick counts time.
    const apic::NextTick next = apic::next_tick(g_deadline, g_period, now);
    __atomic_fetch_add(&g_interrupts, 1, __ATOMIC_RELAXED);
    __atomic_fetch_add(&g_ticks, 1 + next.missed, __ATOMIC_RELAXED);
    g_deadline = next.deadline;
    if (!__atomic_load_n(&g_masked, __ATOMIC_RELAXED)) arm(g_deadline);
    lapic::eoi();
}

const InterruptHandler kTickHandler{"local APIC timer", handle_tick, nullptr};

// The timer's count rate: three 250 us windows timed with the TSC, the
// median kept (a window disturbed by the host is an outlier). Short, as
// it adds to the boot time, and precise enough: the tick's deadlines are
// kept in TSC ticks (arm() re-arms a tick that fires early), so an error
// here only costs an extra interrupt, never time. 250 us are 15,625 counts
// at QEMU's 62.5 MHz: one count read late is 64 ppm.
u64 calibrate() {
    const u64 tsc_hz = timestamp_rate();
    u64 rates[kWindows];
    lapic::write(reg::kTimerDivide, *apic::timer_divide_value(kDivisor));
    for (u64& rate : rates) {
        lapic::write(reg::kLvtTimer, APIC_LVT_MASKED);
        lapic::write(reg::kTimerInitialCount, 0xFFFFFFFF);
        const u64 start = rdtsc();
        while (rdtsc() - start < tsc_hz / 4000) pause();
        const u32 left = lapic::read(reg::kTimerCurrentCount);
        const u64 elapsed = rdtsc() - start;
        rate = apic::rate_from_window(0xFFFFFFFFU - left, elapsed, tsc_hz);
    }
    lapic::write(reg::kTimerInitialCount, 0);
    return apic::median_rate(rates);
}

}  // namespace

Started start(u32 tick_hz) {
    Started s{};
    if (!lapic::ready()) {
        s.error = "no local APIC";
        return s;
    }
    if (timestamp_rate() == 0 || tick_hz == 0) {
        s.error = "the TSC rate is unknown";
        return s;
    }
    g_deadline_mode = (cpuid(CPUID_LEAF_FEATURES).ecx & CPUID_1_ECX_TSC_DEADLINE) != 0;
    if (!g_deadline_mode) {
        g_timer_hz = calibrate();
        if (g_timer_hz < 10'000) {
            s.error = "the local APIC timer does not count";
            return s;
        }
    }
    const InterruptTable::Allocation vector = interrupt_table().allocate(kTickHandler, 0xE0, 0xEF);
    if (vector.error != VectorError::None) {
        s.error = "no vector is free for the timer";
        return s;
    }
    g_vector = vector.vector;
    g_tick_hz = tick_hz;
    g_period = timestamp_rate() / tick_hz;
    lapic::write(reg::kLvtTimer, lvt(false));
    g_deadline = rdtsc() + g_period;
    arm(g_deadline);
    s.timer_hz = g_timer_hz;
    s.tsc_deadline = g_deadline_mode;
    s.vector = g_vector;
    return s;
}

}  // namespace arch::local_timer

namespace kernel::time {

u64 ticks() { return __atomic_load_n(&arch::local_timer::g_ticks, __ATOMIC_RELAXED); }
u64 tick_interrupts() {
    return __atomic_load_n(&arch::local_timer::g_interrupts, __ATOMIC_RELAXED);
}
u32 tick_hz() { return arch::local_timer::g_tick_hz; }

void mask_tick(bool masked) {
    using namespace arch::local_timer;
    if (g_tick_hz == 0) return;
    const kernel::InterruptSaveGuard off;
    __atomic_store_n(&g_masked, masked, __ATOMIC_RELAXED);
    arch::lapic::write(arch::apic::reg::kLvtTimer, lvt(masked));
    if (!masked) {
        // The one-shot that expired while masked re-armed nothing: start
        // again on the grid.
        g_deadline = arch::apic::next_tick(g_deadline, g_period, arch::rdtsc()).deadline;
        arm(g_deadline);
    }
}

Deadline deadline_after_us(u64 us) {
    const u64 hz = arch::timestamp_rate();
    return {arch::rdtsc() + arch::apic::mul_div(us, hz, 1'000'000)};
}

bool expired(Deadline deadline) { return arch::rdtsc() >= deadline.tsc; }

void sleep_us(u64 us) {
    const Deadline end = deadline_after_us(us);
    const u64 period = arch::local_timer::g_period;
    const bool can_halt = tick_hz() != 0 && arch::interrupts_enabled() &&
                          !__atomic_load_n(&arch::local_timer::g_masked, __ATOMIC_RELAXED);
    // Halt while a whole tick still fits before the end: the tick wakes
    // the CPU; the last part is a spin, so the end is not rounded up to a
    // tick.
    while (can_halt && arch::rdtsc() + period < end.tsc) asm volatile("hlt" ::: "memory");
    while (!expired(end)) arch::pause();
}

}  // namespace kernel::time
