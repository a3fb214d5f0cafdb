#include "init/bench.hpp"

#include "arch/setup.hpp"
#include "drivers/hpet/hpet.hpp"
#include "kernel/bench/samples.hpp"
#include "kernel/irq/irq.hpp"
#include "kernel/log/log.hpp"
#include "kernel/time/sampled_window.hpp"
#include "kernel/time/tick.hpp"

namespace init {
namespace {

namespace log = kernel::log;
using kernel::irq::Handle;
using kernel::irq::IrqError;

constexpr usize kRuns = 101;  // odd: the median is a sample
constexpr usize kWarmUp = 8;  // first runs fault in code and caches
constexpr usize kShortSleeps = 11;
constexpr usize kLongSleeps = 5;

// The handler's entry time, written by the handler, read by the runner on
// the same CPU; 0 while the interrupt has not arrived.
u64 g_entered = 0;

void stamp_entry(void* /*context*/) {
    __atomic_store_n(&g_entered, arch::read_timestamp(), __ATOMIC_RELEASE);
}

// A software `int` needs its vector as an immediate: one function per
// device vector, taken from a table so that the call costs the same for
// every vector the line may get.
constexpr u32 kFirstDeviceVector = 0x30;
constexpr u32 kLastDeviceVector = 0xDF;
using SoftInt = void (*)();

template <u32 Vector>
void soft_int() {
    asm volatile("int %0" ::"i"(Vector) : "memory");
}

struct SoftIntTable {
    SoftInt entries[kLastDeviceVector - kFirstDeviceVector + 1] = {};
};

template <u32 Vector>
constexpr void fill(SoftIntTable& table) {
    table.entries[Vector - kFirstDeviceVector] = &soft_int<Vector>;
    if constexpr (Vector < kLastDeviceVector) fill<Vector + 1>(table);
}

constexpr SoftIntTable make_table() {
    SoftIntTable table;
    fill<kFirstDeviceVector>(table);
    return table;
}

constexpr SoftIntTable kSoftInts = make_table();

u64 cycles_to_ns(u64 cycles) { return cycles * 1'000'000'000 / arch::timestamp_rate(); }

// One trigger to handler entry, in TSC cycles; 0 when the handler was not
// entered within 100 ms (reported by the caller).
template <typename Trigger>
u64 one_round_trip(Trigger trigger) {
    __atomic_store_n(&g_entered, 0, __ATOMIC_RELAXED);
    const u64 limit = arch::timestamp_rate() / 10;
    const u64 start = arch::read_timestamp();
    trigger();
    u64 entered = 0;
    while ((entered = __atomic_load_n(&g_entered, __ATOMIC_ACQUIRE)) == 0) {
        if (arch::read_timestamp() - start > limit) return 0;
        __builtin_ia32_pause();
    }
    return entered - start;
}

// kRuns round trips after kWarmUp unrecorded ones, in ns; false (with the
// reason logged) when one never arrived.
template <typename Trigger>
bool round_trips(ktl::string_view what, Trigger trigger, kernel::bench::Spread& out) {
    u64 samples[kRuns];
    for (usize i = 0; i < kWarmUp + kRuns; ++i) {
        const u64 cycles = one_round_trip(trigger);
        if (cycles == 0) {
            log::warn("bench: irq round trip, {}: the handler was not entered within 100 ms", what);
            return false;
        }
        if (i >= kWarmUp) samples[i - kWarmUp] = cycles_to_ns(cycles);
    }
    out = kernel::bench::spread(samples);
    log::info("bench: irq round trip, {} to handler entry: min {} ns, median {} ns ({} runs)", what,
              out.min, out.median, kRuns);
    return true;
}

// The highest GSI that has no line: a line no device drives, so only the
// benchmark's own self-IPIs arrive on it.
Result<Handle, IrqError> install_free_line() {
    Result<Handle, IrqError> r = IrqError::NoSuchLine;
    for (u32 gsi = 63;; --gsi) {
        r = kernel::irq::install_gsi(gsi, "bench", stamp_entry, nullptr, kernel::irq::Trigger::Edge,
                                     kernel::irq::Polarity::ActiveHigh);
        if (r || gsi == 0) return r;
    }
}

void bench_round_trip() {
    const Result<Handle, IrqError> line = install_free_line();
    if (!line) {
        log::warn("bench: irq round trip not measured: no line for it ({})",
                  kernel::irq::describe(line.error()));
        return;
    }
    const u8 vector = kernel::irq::info(*line)->vector;
    kernel::bench::Spread ipi;
    kernel::bench::Spread soft;
    const bool have_ipi = round_trips(
        "self-IPI", [&] { (void)kernel::irq::raise(*line); }, ipi);
    // The same vector, handler table entry, line dispatch and handler, but
    // entered synchronously by the instruction: what the interrupt
    // controller's delivery adds is the difference. (The line's EOI then
    // finds nothing in service, which the local APIC ignores.)
    const bool have_soft = vector >= kFirstDeviceVector && vector <= kLastDeviceVector &&
                           round_trips(
                               "int instruction (baseline)",
                               [&] { kSoftInts.entries[vector - kFirstDeviceVector](); }, soft);
    (void)kernel::irq::remove(*line);
    if (!have_ipi || !have_soft) return;
    const u64 min = kernel::bench::ratio_hundredths(ipi.min, soft.min);
    const u64 median = kernel::bench::ratio_hundredths(ipi.median, soft.median);
    log::info("bench: irq round trip, self-IPI/int: min {}.{:02}x, median {}.{:02}x", min / 100,
              min % 100, median / 100, median % 100);
}

// Microseconds elapsed on the best clock the machine has between two
// readings of it: the HPET when there is one, else the TSC.
struct Stopwatch {
    bool hpet = drivers::hpet::present();
    u64 start = hpet ? drivers::hpet::read_counter() : arch::read_timestamp();

    [[nodiscard]] u64 elapsed_us() const {
        if (!hpet) return (arch::read_timestamp() - start) * 1'000'000 / arch::timestamp_rate();
        const drivers::hpet::Capabilities& caps = drivers::hpet::capabilities();
        const u64 ticks = (drivers::hpet::read_counter() - start) &
                          kernel::time::counter_mask(caps.counter_bits());
        return ticks * caps.period_fs / 1'000'000'000;  // fs to us
    }
};

void bench_sleep(u64 asked_us, usize runs) {
    u64 samples[kShortSleeps];
    for (usize i = 0; i < runs; ++i) {
        const Stopwatch watch;
        kernel::time::sleep_us(asked_us);
        samples[i] = watch.elapsed_us();
    }
    const kernel::bench::Spread s = kernel::bench::spread({samples, runs});
    const kernel::bench::Error e = kernel::bench::error_of(s.median, asked_us);
    const u64 tenths = static_cast<u64>(e.permille < 0 ? -e.permille : e.permille);
    log::info(
        "bench: sleep_us({}) against the {}: median {} us, min {} us, error {}{} us "
        "({}{}.{}%) ({} runs)",
        asked_us, drivers::hpet::present() ? "HPET" : "TSC", s.median, s.min,
        e.difference < 0 ? "-" : "+", e.difference < 0 ? -e.difference : e.difference,
        e.permille < 0 ? "-" : "+", tenths / 10, tenths % 10, runs);
}

}  // namespace

void run_irq_bench(bool interrupts_on) {
    if (arch::timestamp_rate() == 0) {
        log::warn("bench: not run: the TSC's rate is unknown, so nothing can be timed");
        return;
    }
    if (!interrupts_on) {
        log::warn("bench: irq round trip not measured: interrupts are off");
    } else {
        bench_round_trip();
    }
    bench_sleep(1'000, kShortSleeps);
    bench_sleep(100'000, kLongSleeps);
    log::info("bench: done ({} Hz tick)", kernel::time::tick_hz());
}

}  // namespace init
