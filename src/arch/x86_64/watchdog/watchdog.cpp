#include "arch/x86_64/watchdog/watchdog.hpp"

#include "arch/x86_64/apic/local_timer.hpp"
#include "arch/x86_64/bits.h"
#include "arch/x86_64/interrupts/exceptions.hpp"
#include "arch/x86_64/smp/nmi_ipi.hpp"
#include "kernel/debug/debug.hpp"
#include "kernel/panic/panic.hpp"
#include "kernel/smp/cpu.hpp"
#include "kernel/smp/per_cpu.hpp"
#include "kernel/time/tick.hpp"
#include "kernel/watchdog/heartbeat.hpp"
#include "kernel/watchdog/watchdog.hpp"

namespace arch::watchdog {

namespace {

namespace kwd = kernel::watchdog;

// Written once by start() before any check can run, read-only after.
u32 g_seconds = 0;
u32 g_tick_limit = 0;    // the watcher's ticks without a beat that make a CPU stuck
u32 g_source_limit = 0;  // the source's NMIs without a beat
const kwd::NmiSource* g_source = nullptr;

// Each CPU's own, of its target (its tick only): memory only for the CPUs
// there are.
KEEL_PER_CPU kernel::smp::PerCpu<kwd::Watch> g_watch;
u32 g_report[kMaxCpus];          // 1 + the watcher that asked CPU n to report; 0: none
u64 g_answers[kMaxCpus];         // CPU n found its interrupts on when asked
kwd::QuietCounter g_boot_quiet;  // the boot CPU's, counted in source NMIs
bool g_halted[kMaxCpus];         // by the CPU itself, for good (halt_forever)

bool beats(u32 cpu, const local_timer::TickState& t) {
    return t.running && !t.masked && !__atomic_load_n(&g_halted[cpu], __ATOMIC_ACQUIRE);
}

[[noreturn]] void report(const InterruptFrame& frame, u32 cpu, ktl::string_view found_by,
                         u32 watcher) {
    kernel::debug::SymbolText symbol;
    kernel::debug::symbolize(frame.rip, symbol);
    kfmt::Buffer<256> message;
    kfmt::format_to(message, "watchdog: CPU {} stuck with interrupts off for {} s at {:#018x} {}",
                    cpu, g_seconds, frame.rip, symbol.view());
    if (watcher != kwd::kNoCpu)
        kfmt::format_to(message, " (found by CPU {}'s tick)", watcher);
    else
        kfmt::format_to(message, " (found by {})", found_by);
    panic_at_frame(frame, message.view());
}

bool interrupts_were_off(const InterruptFrame& frame) { return (frame.rflags & RFLAGS_IF) == 0; }

// A target that took no tick and did not take the NMI either: its
// interrupted code cannot be named (only its own NMI handler could), so the
// report says which CPU, since when (the watcher's looks since it last saw
// a beat), and what can keep a CPU from an NMI.
[[noreturn]] void report_unanswered(u32 target, u32 silent_ticks) {
    const u64 silent_ms = u64{silent_ticks} * 1000 / kernel::time::tick_hz();
    const u64 now_ms = microseconds_since_boot() / 1000;
    const u64 since_ms = now_ms > silent_ms ? now_ms - silent_ms : 0;
    kernel::panic(
        "watchdog: CPU {} (APIC ID {}) has taken no tick for {} s (since {}.{} s after boot) "
        "and did not answer the watchdog's NMI within {} s: it cannot take NMIs (reset by an "
        "INIT, shut down, or stuck in an NMI handler)",
        target, kernel::smp::cpu(target).apic_id, silent_ms / 1000, since_ms / 1000,
        since_ms % 1000 / 100, g_seconds);
}

}  // namespace

void on_tick() {
    if (g_tick_limit == 0 || kernel::panic_in_progress()) return;
    const u32 self = kernel::smp::current_index();
    const u32 target = kwd::watched_by(self, kernel::smp::online_count());
    if (target == kwd::kNoCpu) return;
    const local_timer::TickState t = local_timer::tick_state(target);
    const kwd::Watch::Seen seen{t.interrupts, beats(target, t),
                                __atomic_load_n(&g_answers[target], __ATOMIC_ACQUIRE)};
    switch (g_watch[self].check(target, seen, g_tick_limit)) {
        case kwd::Verdict::Alive:
            return;
        case kwd::Verdict::AskToReport:
            __atomic_store_n(&g_report[target], self + 1, __ATOMIC_RELEASE);
            // Not sent: the wait that follows ends in the panic below.
            (void)smp::send_nmi(target);
            return;
        case kwd::Verdict::Unanswered:
            report_unanswered(target, g_watch[self].silent());
    }
}

bool handle_nmi(const InterruptFrame& frame, bool may_be_source) {
    if (g_seconds == 0) return false;
    const u32 self = kernel::smp::current_index();
    bool mine = false;
    const u32 asker = __atomic_exchange_n(&g_report[self], 0, __ATOMIC_ACQ_REL);
    if (asker != 0) {
        mine = true;
        if (!kernel::panic_in_progress()) {
            if (interrupts_were_off(frame)) report(frame, self, {}, asker - 1);
            // Interrupts on: its tick was held up (under emulation, by the
            // host), not blocked. The watcher starts over.
            __atomic_fetch_add(&g_answers[self], 1, __ATOMIC_ACQ_REL);
        }
    }
    if (may_be_source && self == 0 && g_source != nullptr && g_source->claim()) {
        mine = true;
        if (kernel::panic_in_progress()) {
            g_source->stop();
            return true;
        }
        const local_timer::TickState t = local_timer::tick_state(0);
        const bool eligible = beats(0, t);
        if (g_boot_quiet.observe(t.interrupts, eligible, g_source_limit) &&
            interrupts_were_off(frame))
            report(frame, 0, g_source->name, kwd::kNoCpu);
    }
    return mine;
}

}  // namespace arch::watchdog

namespace arch {

void note_halted_for_good() {
    const u32 self = kernel::smp::current_index();
    if (self < kMaxCpus) __atomic_store_n(&watchdog::g_halted[self], true, __ATOMIC_RELEASE);
}

}  // namespace arch

namespace kernel::watchdog {

void start(u32 seconds, const NmiSource* source) {
    using namespace arch::watchdog;
    const u32 hz = kernel::time::tick_hz();
    if (seconds == 0 || hz == 0) return;
    g_source = source;
    // One NMI more than the threshold holds: the heartbeat may have stopped
    // just after the NMI that last saw it move.
    g_source_limit =
        source != nullptr ? (seconds * 1000 + source->period_ms - 1) / source->period_ms + 1 : 0;
    g_seconds = seconds;
    // Last: it turns the ticks' checks on.
    __atomic_store_n(&g_tick_limit, seconds * hz, __ATOMIC_RELEASE);
}

u32 threshold_seconds() {
    return __atomic_load_n(&arch::watchdog::g_tick_limit, __ATOMIC_ACQUIRE) != 0
               ? arch::watchdog::g_seconds
               : 0;
}

}  // namespace kernel::watchdog
