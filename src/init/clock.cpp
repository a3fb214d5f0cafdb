#include "init/clock.hpp"

#include "arch/setup.hpp"
#include "drivers/hpet/comparator.hpp"
#include "drivers/hpet/hpet.hpp"
#include "drivers/pit/pit.hpp"
#include "drivers/pmtimer/pm_timer.hpp"
#include "kernel/boot_state.hpp"
#include "kernel/log/log.hpp"
#include "kernel/time/calibration.hpp"
#include "kernel/time/clock.hpp"
#include "kernel/time/reference.hpp"
#include "kernel/time/sampled_window.hpp"

namespace init {

namespace {

using kernel::time::RateEstimate;
using kernel::time::Window;

// A window gives up after 100 ms at the fastest plausible rate.
constexpr u64 kMaxWait = 2'000'000'000;
constexpr usize kMaxWindows = 16;
constexpr usize kMaxFailures = 3;

// A reference that can be read at any time (see kernel/time/sampled_window.hpp).
struct SampledReference {
    u64 (*read)();
    u32 bits;
    u64 hz;
};

kernel::time::Sample sample(u64 (*read)()) {
    const u64 before = arch::read_timestamp();
    const u64 reference = read();
    return {before, reference, arch::read_timestamp()};
}

// Windows of 1 ms, back to back, until their bounds pin the rate: three
// undisturbed ones (3 ms) on a quiet machine. A disturbed window doubles
// the next one's length, as for the PIT.
RateEstimate measure_sampled(const SampledReference& ref, usize& taken, u64& window_us) {
    const u64 mask = kernel::time::counter_mask(ref.bits);
    const u64 first_ticks = ref.hz / 1000;
    u64 window_ticks = first_ticks;
    Window windows[kMaxWindows];
    taken = 0;
    usize failures = 0;
    kernel::time::Sample previous = sample(ref.read);
    while (taken < kMaxWindows && failures < kMaxFailures) {
        kernel::time::Sample current = previous;
        do current = sample(ref.read);
        while (((current.reference - previous.reference) & mask) < window_ticks &&
               current.after - previous.after < kMaxWait);
        const Window w = kernel::time::window_between(previous, current, mask);
        windows[taken++] = w;
        previous = current;
        if (w.high == 0) {
            ++failures;
            continue;
        }
        if (kernel::time::enough_good_windows({windows, taken}, ref.hz)) break;
        if (!kernel::time::good_window(w) && window_ticks < 32 * first_ticks) window_ticks *= 2;
    }
    window_us = (first_ticks * 1'000'000 + ref.hz / 2) / ref.hz;
    return kernel::time::estimate_rate({windows, taken}, ref.hz);
}

// PIT channel 2 as a stopwatch: windows start at 1 ms; each disturbed one
// doubles the next, up to 32 ms, since a slow emulator (Bochs, or an
// unoptimised build under TCG) widens every bracket by the same few
// microseconds.
RateEstimate measure_pit(usize& taken) {
    constexpr u32 kFirstWindowTicks = drivers::pit::kInputHz / 1000;  // 1 ms
    constexpr u32 kLongestWindowTicks = 32 * kFirstWindowTicks;
    Window windows[kMaxWindows];
    taken = 0;
    usize failures = 0;
    u32 window_ticks = kFirstWindowTicks;
    while (taken < kMaxWindows && failures < kMaxFailures) {
        const Window w = drivers::pit::measure(window_ticks, arch::read_timestamp, kMaxWait);
        windows[taken++] = w;
        if (w.high == 0) {
            ++failures;
            continue;
        }
        if (kernel::time::enough_good_windows({windows, taken}, drivers::pit::kInputHz)) break;
        if (!kernel::time::good_window(w) && window_ticks < kLongestWindowTicks) window_ticks *= 2;
    }
    return kernel::time::estimate_rate({windows, taken}, drivers::pit::kInputHz);
}

void set_up_hpet(const kernel::acpi::Platform* platform) {
    if (platform == nullptr || platform->hpet_state != kernel::acpi::Found::Parsed) return;
    const Result<void, ktl::string_view> r = drivers::hpet::init(platform->hpet);
    if (r) {
        kernel::time::set_reference_counter({"HPET", drivers::hpet::read_counter,
                                             drivers::hpet::capabilities().counter_bits(),
                                             drivers::hpet::capabilities().hz()});
    }
    if (r && platform->madt_state == kernel::acpi::Found::Parsed)
        drivers::hpet::comparator::learn_isa_routes(platform->madt);
    if (!r)
        kernel::log::warn("hpet: the one at {:#x} is not used: {}", platform->hpet.base.address,
                          r.error());
}

// Why the ACPI PM timer is not used ("" when it is).
ktl::string_view set_up_pm_timer(const kernel::acpi::Platform* platform) {
    // Once: the HPET's cross-check may have set it up already, and the
    // driver's init maps a memory-space register and waits for it to count.
    if (drivers::pm_timer::present()) return "";
    if (platform == nullptr) return "no ACPI";
    if (platform->fadt_state != kernel::acpi::Found::Parsed) return "no FADT";
    const Result<void, ktl::string_view> r = drivers::pm_timer::init(platform->fadt);
    if (!r) return r.error();
    // The witness of time when there is no HPET (an HPET, set first, stays).
    kernel::time::set_reference_counter({"ACPI PM timer", drivers::pm_timer::read_counter,
                                         drivers::pm_timer::counter_bits(),
                                         drivers::pm_timer::kHz});
    return "";
}

// `clock: TSC 2.893 GHz from ...`: what tests/qemu/tsc_under_load.py reads.
void report(u64 hz, ktl::string_view from) {
    kernel::log::info("clock: TSC {}.{:03} GHz {}", hz / 1'000'000'000, hz / 1'000'000 % 1000,
                      from);
}

// Whether `estimate` is usable; if so the rate is set and reported.
bool adopt(const RateEstimate& estimate, ktl::string_view source) {
    if (estimate.hz == 0 || !arch::plausible_timestamp_rate(estimate.hz)) return false;
    arch::set_timestamp_rate(estimate.hz, source);
    return true;
}

// How far the HPET's estimate may sit outside what the PM timer's one long
// window allows: both count real time, so only a wrong stated period (the
// HPET's own, in its registers; the PM timer's is the spec's) gets past it.
constexpr u64 kCrossCheckPpm = 20'000;  // 2%

bool calibrate_against_hpet(const kernel::acpi::Platform* platform) {
    if (!drivers::hpet::present()) return false;
    const drivers::hpet::Capabilities& caps = drivers::hpet::capabilities();
    // A second reference around the whole measurement (issue 14.1): one
    // window of the ACPI PM timer, bracketed like the HPET's, which a
    // preemption can only widen, never make disagree.
    const bool pm = set_up_pm_timer(platform).empty();
    const kernel::time::Sample pm_first =
        pm ? sample(drivers::pm_timer::read_counter) : kernel::time::Sample{};
    usize taken = 0;
    u64 window_us = 0;
    const RateEstimate e = measure_sampled(
        {drivers::hpet::read_counter, caps.counter_bits(), caps.hz()}, taken, window_us);
    if (!adopt(e, "calibrated against the HPET")) {
        kernel::log::warn("clock: the HPET gave no usable TSC rate ({} windows, {} disturbed)",
                          taken, e.disturbed);
        return false;
    }
    if (pm) {
        const Window check = kernel::time::window_between(
            pm_first, sample(drivers::pm_timer::read_counter),
            kernel::time::counter_mask(drivers::pm_timer::counter_bits()));
        if (!kernel::time::rate_fits_window(e.hz, check, drivers::pm_timer::kHz, kCrossCheckPpm)) {
            kernel::log::warn(
                "clock: the HPET's TSC rate ({}.{:03} GHz) disagrees with the ACPI PM timer "
                "over the same time: the HPET's stated period is not trusted",
                e.hz / 1'000'000'000, e.hz / 1'000'000 % 1000);
            return false;  // the PM timer next
        }
        kernel::log::debug("clock: the ACPI PM timer agrees with the HPET ({} PM timer ticks)",
                           check.reference_ticks);
    }
    kernel::log::info("clock: TSC {}.{:03} GHz from the HPET ({} windows of {} ms)",
                      e.hz / 1'000'000'000, e.hz / 1'000'000 % 1000, taken,
                      (window_us + 500) / 1000);
    return true;
}

bool calibrate_against_pm_timer(const kernel::acpi::Platform* platform) {
    const ktl::string_view unusable = set_up_pm_timer(platform);
    if (!unusable.empty()) {
        kernel::log::info("clock: no ACPI PM timer ({})", unusable);
        return false;
    }
    usize taken = 0;
    u64 window_us = 0;
    const RateEstimate e =
        measure_sampled({drivers::pm_timer::read_counter, drivers::pm_timer::counter_bits(),
                         drivers::pm_timer::kHz},
                        taken, window_us);
    if (!adopt(e, "calibrated against the ACPI PM timer")) {
        kernel::log::warn(
            "clock: the ACPI PM timer gave no usable TSC rate ({} windows, {} disturbed)", taken,
            e.disturbed);
        return false;
    }
    kernel::log::info(
        "clock: TSC {}.{:03} GHz from the ACPI PM timer ({} windows of {} ms; {}-bit at {} {:#x}; "
        "no HPET)",
        e.hz / 1'000'000'000, e.hz / 1'000'000 % 1000, taken, (window_us + 500) / 1000,
        drivers::pm_timer::counter_bits(), drivers::pm_timer::in_io_space() ? "port" : "memory",
        drivers::pm_timer::address());
    return true;
}

// The PIT, then CPUID. Returns whether a rate was set.
bool calibrate_without_acpi_timers() {
    usize taken = 0;
    const RateEstimate pit = measure_pit(taken);
    const u64 stated = arch::timestamp_rate_from_cpuid();
    if (adopt(pit, "calibrated against the PIT")) {
        kernel::log::info("clock: TSC {}.{:03} GHz from PIT channel 2 ({} windows, {} disturbed)",
                          pit.hz / 1'000'000'000, pit.hz / 1'000'000 % 1000, taken, pit.disturbed);
        // A second opinion where the CPU gives one: a big difference means
        // one of them is wrong, and the log should say so.
        if (arch::plausible_timestamp_rate(stated) &&
            kernel::time::difference_ppm(stated, pit.hz) > 20'000)
            kernel::log::warn("clock: the PIT says {} kHz, CPUID says {} kHz", pit.hz / 1000,
                              stated / 1000);
        return true;
    }
    if (arch::plausible_timestamp_rate(stated)) {
        arch::set_timestamp_rate(stated, "from CPUID");
        report(stated, pit.failed != 0 ? "as CPUID states it (the PIT did not count)"
                                       : "as CPUID states it (the PIT was too noisy)");
        return true;
    }
    if (pit.failed == 0 && pit.disturbed != 0)
        kernel::log::warn(
            "TSC rate unknown ({} PIT windows all disturbed, no rate in CPUID): "
            "boot time not measured",
            pit.disturbed);
    else
        kernel::log::warn(
            "TSC rate unknown (no working PIT, no rate in CPUID): boot time not measured");
    return false;
}

// A CPU without a TSC (CPUID.01H:EDX.TSC clear; RDTSC would fault): the
// HPET's main counter, when it has 64 bits, is the time counter instead, so
// sleeps, timeouts, the tick and now_ns() still work. It starts counting
// here, not at the trampoline: the boot's own length stays unknown.
// Without one, the ACPI PM timer wraps too soon to be the clock, but it
// still bounds waits (arch::Timeout reads the reference counter).
void start_clock_without_tsc(const kernel::acpi::Platform* platform) {
    const char* const why = "this CPU has no time-stamp counter (CPUID.01H:EDX.TSC = 0)";
    if (!drivers::hpet::present() || !drivers::hpet::capabilities().wide) {
        kernel::log::warn("{}, and no 64-bit HPET stands in: no clock, boot time not measured",
                          why);
        if (drivers::hpet::present()) return;  // the reference already, set_up_hpet
        const ktl::string_view unusable = set_up_pm_timer(platform);
        if (unusable.empty())
            kernel::log::info("clock: waits count the ACPI PM timer ({}-bit at {} {:#x})",
                              drivers::pm_timer::counter_bits(),
                              drivers::pm_timer::in_io_space() ? "port" : "memory",
                              drivers::pm_timer::address());
        else
            kernel::log::info("clock: no ACPI PM timer ({}): waits count port writes", unusable);
        return;
    }
    const u64 hz = drivers::hpet::capabilities().hz();
    arch::use_timestamp_fallback(drivers::hpet::read_counter, hz, "the HPET");
    kernel::time::start_clock(arch::read_timestamp, arch::boot_timestamp(), hz);
    kernel::log::warn(
        "{}: the clock runs on the HPET's counter ({}.{:03} MHz); boot time not "
        "measured",
        why, hz / 1'000'000, hz / 1000 % 1000);
}

}  // namespace

void calibrate_timestamp_counter(const kernel::acpi::Platform* platform) {
    // The HPET is set up even without a TSC: it is a clock of its own.
    set_up_hpet(platform);
    if (!arch::timestamp_counter_present()) {
        start_clock_without_tsc(platform);
        return;
    }
    const u64 start = arch::read_timestamp();
    if (calibrate_against_hpet(platform) || calibrate_against_pm_timer(platform) ||
        calibrate_without_acpi_timers()) {
        kernel::time::start_clock(arch::read_timestamp, arch::boot_timestamp(),
                                  arch::timestamp_rate());
        // What the measurement cost the boot (bench/README.md).
        kernel::log::debug("clock: calibration took {} us",
                           (arch::read_timestamp() - start) / (arch::timestamp_rate() / 1'000'000));
    }
}

}  // namespace init
