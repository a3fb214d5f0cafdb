#include "arch/x86_64/apic/local_timer.hpp"

#include "arch/setup.hpp"
#include "arch/x86_64/apic/local_apic.hpp"
#include "arch/x86_64/apic/registers.hpp"
#include "arch/x86_64/apic/timer_math.hpp"
#include "arch/x86_64/bits.h"
#include "arch/x86_64/cpu.hpp"
#include "arch/x86_64/interrupts/interrupt_table.hpp"
#include "arch/x86_64/tsc.hpp"
#include "arch/x86_64/watchdog/watchdog.hpp"
#include "kernel/smp/cpu.hpp"
#include "kernel/smp/per_cpu.hpp"
#include "kernel/sync/guard.hpp"
#include "kernel/time/tick.hpp"
#include "lib/no_unroll.hpp"

namespace arch::local_timer {

namespace {

namespace reg = apic::reg;

constexpr u32 kDivisor = 16;
constexpr usize kWindows = 3;

// Written by start() on the boot CPU before the first tick, read-only
// after: every CPU's timer shares the boot CPU's calibration.
u64 g_timer_hz = 0;
u64 g_period = 0;  // TSC ticks per tick
u32 g_tick_hz = 0;
u8 g_vector = 0;
bool g_deadline_mode = false;

// Each CPU's tick, written only by that CPU (its tick handler, mask_tick);
// others read the counters as snapshots. Indexed by kernel::smp's CPU index
// (0 before the per-CPU blocks exist: one CPU runs then). Per CPU
// (kernel/smp/per_cpu.hpp): memory only for the CPUs there are.
struct CpuTick {
    u64 deadline = 0;
    u64 ticks = 0;       // periods elapsed
    u64 interrupts = 0;  // timer interrupts that ended a period
    bool masked = false;
    bool running = false;
    // The one-shot in flight: when it was armed and for how many TSC ticks
    // (0 when it was armed for a short remainder, under a quarter period:
    // an interrupt's own latency would weigh too much in it).
    u64 armed_at = 0;
    u64 armed_for = 0;
    // How long the last whole periods took against what they were armed
    // for (kernel::time::period_timing), a ring.
    u64 timed = 0;
    u16 taken_permille[kernel::time::kTimedPeriods] = {};
};
KEEL_PER_CPU kernel::smp::PerCpu<CpuTick> g_cpu;
// The boot CPU's per-tick hook (kernel::time::set_tick_hook).
kernel::time::TickHook g_tick_hook = nullptr;

// The AP timer checks (start_this_ap), read by the boot CPU once the AP is
// online.
KEEL_PER_CPU kernel::smp::PerCpu<ApTimer> g_ap_check;

CpuTick& this_tick() { return g_cpu[kernel::smp::current_index()]; }

u32 lvt(bool masked) {
    return g_vector | (g_deadline_mode ? APIC_LVT_TIMER_TSC_DEADLINE : 0) |
           (masked ? APIC_LVT_MASKED : 0);
}

void arm(CpuTick& t, u64 deadline) {
    const u64 now = tsc::read();
    const u64 delta = deadline > now ? deadline - now : 0;
    t.armed_at = now;
    t.armed_for = delta >= g_period / 4 ? delta : 0;
    if (g_deadline_mode) {
        // After the LVT write that selected deadline mode (an MMIO write in
        // xAPIC mode), or the deadline may be ignored: cpu.hpp.
        fence_before_weak_wrmsr();
        wrmsr(MSR_TSC_DEADLINE, deadline);
        return;
    }
    lapic::write(reg::kTimerInitialCount, apic::oneshot_count(delta, timestamp_rate(), g_timer_hz));
}

void handle_tick(InterruptFrame& /*frame*/, void* /*context*/) {
    CpuTick& t = this_tick();
    const u64 now = tsc::read();
    if (t.armed_for != 0) {
        t.taken_permille[t.timed % kernel::time::kTimedPeriods] =
            apic::period_permille(now - t.armed_at, t.armed_for);
        __atomic_store_n(&t.timed, t.timed + 1, __ATOMIC_RELAXED);
        t.armed_for = 0;
    }
    if (now < t.deadline) {
        // Early (a count rounded down): not a tick yet, wait for the rest.
        if (!__atomic_load_n(&t.masked, __ATOMIC_RELAXED)) arm(t, t.deadline);
        lapic::eoi();
        return;
    }
    // Periods that passed without an interrupt (the CPU, or under
    // emulation the host, held it up) still passed: the tick counts time.
    const apic::NextTick next = apic::next_tick(t.deadline, g_period, now);
    __atomic_fetch_add(&t.interrupts, 1, __ATOMIC_RELAXED);
    __atomic_fetch_add(&t.ticks, 1 + next.missed, __ATOMIC_RELAXED);
    t.deadline = next.deadline;
    if (!__atomic_load_n(&t.masked, __ATOMIC_RELAXED)) arm(t, t.deadline);
    lapic::eoi();
    // After the EOI and the re-arm, so a long hook delays no later tick
    // more than it must (interrupts stay off until the handler returns).
    if (kernel::smp::current_index() == 0) {
        const kernel::time::TickHook hook = __atomic_load_n(&g_tick_hook, __ATOMIC_ACQUIRE);
        if (hook != nullptr) hook();
    }
    watchdog::on_tick();
}

const InterruptHandler kTickHandler{"local APIC timer", handle_tick, nullptr};

// One reading of the timer's current count, pinned between two TSC
// readings at most `max_bracket` ticks apart: a reading the host (or an
// SMI) interrupted is taken again, up to 8 times. The TSC at the midpoint
// goes with the count.
struct CountSample {
    u32 count;
    u64 tsc;
};
CountSample sample_count(u64 max_bracket) {
    CountSample s{};
    // Rolled: how many attempts run depends on the host's timing, and each
    // unrolled copy that runs is more code to translate.
    KEEL_NO_UNROLL
    for (int attempt = 0; attempt < 8; ++attempt) {
        const u64 before = tsc::read();
        s.count = lapic::read(reg::kTimerCurrentCount);
        const u64 after = tsc::read();
        s.tsc = before + (after - before) / 2;
        if (after - before <= max_bracket) break;
    }
    return s;
}

// The timer's count rate: three 250 us windows timed with the TSC, the
// median kept. Each window's ends are bracketed readings (sample_count),
// so time the host takes from QEMU between them costs nothing: both the
// count and the TSC go on. Short, as it adds to the boot time, and precise
// enough: the tick's deadlines are kept in TSC ticks (arm() re-arms a tick
// that fires early), so an error here only costs an extra interrupt, never
// time. 250 us are 15,625 counts at QEMU's 62.5 MHz.
u64 calibrate() {
    const u64 tsc_hz = timestamp_rate();
    const u64 max_bracket = tsc_hz / 200'000;  // 5 us
    u64 rates[kWindows];
    lapic::write(reg::kTimerDivide, *apic::timer_divide_value(kDivisor));
    for (u64& rate : rates) {
        lapic::write(reg::kLvtTimer, APIC_LVT_MASKED);
        lapic::write(reg::kTimerInitialCount, 0xFFFFFFFF);
        const CountSample first = sample_count(max_bracket);
        while (tsc::read() - first.tsc < tsc_hz / 4000) pause();
        const CountSample last = sample_count(max_bracket);
        rate = apic::rate_from_window(first.count - last.count, last.tsc - first.tsc, tsc_hz);
    }
    lapic::write(reg::kTimerInitialCount, 0);
    return apic::median_rate(rates);
}

void start_this_cpu() {
    CpuTick& t = this_tick();
    t.running = true;
    if (!g_deadline_mode) lapic::write(reg::kTimerDivide, *apic::timer_divide_value(kDivisor));
    lapic::write(reg::kLvtTimer, lvt(false));
    t.deadline = tsc::read() + g_period;
    arm(t, t.deadline);
}

}  // namespace

ApTimer start_this_ap() {
    ApTimer check{};
    if (g_tick_hz == 0) {
        check.error = "the boot CPU runs no tick";
    } else if (g_deadline_mode) {
        // The timer counts the TSC itself: the TSC check covers it.
        check.tsc_deadline = true;
    } else {
        // The count rate measured here against this CPU's TSC, as the boot
        // CPU measured its own: the two must agree for one calibration to
        // serve both.
        check.timer_hz = calibrate();
        check.boot_hz = g_timer_hz;
        if (check.timer_hz < 10'000) check.error = "its local APIC timer does not count";
    }
    if (check.error == nullptr) start_this_cpu();
    g_ap_check[kernel::smp::current_index()] = check;
    return check;
}

namespace {
// A CPU without a per-CPU area has no state of its own (PerCpu's rule).
bool has_state(u32 cpu) { return cpu < kernel::smp::per_cpu_areas(); }
}  // namespace

ApTimer ap_check(u32 index) { return has_state(index) ? g_ap_check[index] : ApTimer{}; }

TickState tick_state(u32 cpu) {
    if (!has_state(cpu)) return {};
    const CpuTick& t = g_cpu[cpu];
    return {__atomic_load_n(&t.interrupts, __ATOMIC_RELAXED),
            __atomic_load_n(&t.running, __ATOMIC_RELAXED),
            __atomic_load_n(&t.masked, __ATOMIC_RELAXED)};
}

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
    // TSC-deadline mode counts the TSC itself: not with a stand-in counter.
    g_deadline_mode =
        tsc::present() && (cpuid(CPUID_LEAF_FEATURES).ecx & CPUID_1_ECX_TSC_DEADLINE) != 0;
    if (!g_deadline_mode) {
        g_timer_hz = calibrate();
        if (g_timer_hz < 10'000) {
            s.error = "the local APIC timer does not count";
            return s;
        }
    }
    const Result<u8, VectorError> vector = interrupt_table().allocate(kTickHandler, 0xE0, 0xEF);
    if (!vector) {
        s.error = "no vector is free for the timer";
        return s;
    }
    g_vector = *vector;
    g_tick_hz = tick_hz;
    g_period = timestamp_rate() / tick_hz;
    start_this_cpu();
    s.timer_hz = g_timer_hz;
    s.tsc_deadline = g_deadline_mode;
    s.vector = g_vector;
    return s;
}

}  // namespace arch::local_timer

namespace kernel::time {

// The boot CPU's tick measures time; the others' count their own.
u64 ticks() { return ticks_on(0); }
u64 tick_interrupts() { return tick_interrupts_on(0); }
u64 ticks_on(u32 cpu) {
    if (!arch::local_timer::has_state(cpu)) return 0;
    return __atomic_load_n(&arch::local_timer::g_cpu[cpu].ticks, __ATOMIC_RELAXED);
}
u64 tick_interrupts_on(u32 cpu) {
    if (!arch::local_timer::has_state(cpu)) return 0;
    return __atomic_load_n(&arch::local_timer::g_cpu[cpu].interrupts, __ATOMIC_RELAXED);
}
u32 tick_hz() { return arch::local_timer::g_tick_hz; }
void set_tick_hook(TickHook hook) {
    __atomic_store_n(&arch::local_timer::g_tick_hook, hook, __ATOMIC_RELEASE);
}

void mask_tick(bool masked) {
    using namespace arch::local_timer;
    if (g_tick_hz == 0) return;
    const kernel::InterruptSaveGuard off;
    CpuTick& t = this_tick();
    if (!t.running) return;
    __atomic_store_n(&t.masked, masked, __ATOMIC_RELAXED);
    arch::lapic::write(arch::apic::reg::kLvtTimer, lvt(masked));
    if (!masked) {
        // The one-shot that expired while masked re-armed nothing: start
        // again on the grid.
        t.deadline = arch::apic::next_tick(t.deadline, g_period, arch::tsc::read()).deadline;
        arm(t, t.deadline);
    }
}

u64 timed_periods() {
    const kernel::InterruptSaveGuard off;
    return arch::local_timer::this_tick().timed;
}

PeriodTiming period_timing(u64 since) {
    u16 copy[kTimedPeriods];
    u64 timed = 0;
    {
        // The handler of this CPU is the ring's only writer.
        const kernel::InterruptSaveGuard off;
        const arch::local_timer::CpuTick& t = arch::local_timer::this_tick();
        timed = t.timed;
        for (usize i = 0; i < kTimedPeriods; ++i) copy[i] = t.taken_permille[i];
    }
    PeriodTiming result{};
    if (since >= timed) return result;
    const u64 count = timed - since < kTimedPeriods ? timed - since : kTimedPeriods;
    u16 recent[kTimedPeriods];
    for (u64 i = 0; i < count; ++i) recent[i] = copy[(timed - 1 - i) % kTimedPeriods];
    const arch::apic::Spread spread = arch::apic::spread_of({recent, static_cast<usize>(count)});
    result.periods = timed - since;
    result.min_permille = spread.min;
    result.median_permille = spread.median;
    return result;
}

Deadline::Deadline(u64 us) : timeout(us) {}

bool expired(Deadline& deadline) { return deadline.timeout.expired(); }

void sleep_us(u64 us) {
    // The bound comes from arch::Timeout, whatever counter it has (a count
    // of port writes when there is none); halting is only for the tick.
    arch::Timeout end(us);
    const arch::local_timer::CpuTick& tick = arch::local_timer::this_tick();
    const bool can_halt = end.clock() == WaitClock::Timestamp && tick_hz() != 0 && tick.running &&
                          arch::interrupts_enabled() &&
                          !__atomic_load_n(&tick.masked, __ATOMIC_RELAXED);
    if (can_halt) {
        // Halt while a whole tick still fits before the end: the tick wakes
        // the CPU; the last part is a spin, so the end is not rounded up to
        // a tick.
        const u64 period = arch::local_timer::g_period;
        const u64 halt_end =
            arch::tsc::read() + arch::apic::mul_div(us, arch::timestamp_rate(), 1'000'000);
        while (arch::tsc::read() + period < halt_end) asm volatile("hlt" ::: "memory");
    }
    while (!end.expired()) arch::pause();
}

}  // namespace kernel::time
