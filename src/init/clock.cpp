#include "init/clock.hpp"

#include "arch/setup.hpp"
#include "drivers/pit/pit.hpp"
#include "kernel/log/log.hpp"
#include "kernel/time/calibration.hpp"

namespace init {

void calibrate_timestamp_counter() {
    if (!arch::timestamp_counter_present()) {
        kernel::log::warn(
            "this CPU has no time-stamp counter (CPUID.01H:EDX.TSC = 0): boot "
            "time not measured");
        return;
    }
    // Windows start at 1 ms; each disturbed one doubles the next, up to
    // 32 ms, since a slow emulator (Bochs, or an unoptimised build under
    // TCG) widens every bracket by the same few microseconds.
    constexpr u32 kFirstWindowTicks = drivers::pit::kInputHz / 1000;  // 1 ms
    constexpr u32 kLongestWindowTicks = 32 * kFirstWindowTicks;
    constexpr usize kMaxWindows = 16;
    constexpr usize kMaxFailures = 3;
    // A window gives up after 100 ms at the fastest plausible rate.
    constexpr u64 kMaxWait = 2'000'000'000;
    kernel::time::Window windows[kMaxWindows];
    usize taken = 0;
    usize failures = 0;
    u32 window_ticks = kFirstWindowTicks;
    while (taken < kMaxWindows && failures < kMaxFailures) {
        const kernel::time::Window w =
            drivers::pit::measure(window_ticks, arch::read_timestamp, kMaxWait);
        windows[taken++] = w;
        if (w.high == 0) {
            ++failures;
            continue;
        }
        if (kernel::time::enough_good_windows({windows, taken}, drivers::pit::kInputHz)) break;
        if (!kernel::time::good_window(w) && window_ticks < kLongestWindowTicks) window_ticks *= 2;
    }
    const kernel::time::RateEstimate pit =
        kernel::time::estimate_rate({windows, taken}, drivers::pit::kInputHz);
    const u64 stated = arch::timestamp_rate_from_cpuid();
    if (pit.hz != 0 && arch::plausible_timestamp_rate(pit.hz)) {
        arch::set_timestamp_rate(pit.hz, "calibrated against the PIT");
        kernel::log::debug("TSC: {} of {} PIT windows used ({} disturbed)", pit.good, taken,
                           pit.disturbed);
        // A second opinion where the CPU gives one: a big difference means
        // one of them is wrong, and the log should say so.
        if (arch::plausible_timestamp_rate(stated) &&
            kernel::time::difference_ppm(stated, pit.hz) > 20'000)
            kernel::log::warn("TSC: the PIT says {} kHz, CPUID says {} kHz", pit.hz / 1000,
                              stated / 1000);
    } else if (arch::plausible_timestamp_rate(stated)) {
        arch::set_timestamp_rate(stated, pit.failed != 0 ? "from CPUID: the PIT did not count"
                                                         : "from CPUID: the PIT was too noisy");
    }
    if (arch::timestamp_rate() != 0)
        kernel::log::info("TSC: {} MHz ({})", arch::timestamp_rate() / 1'000'000,
                          arch::timestamp_rate_source());
    else if (pit.failed == 0 && pit.disturbed != 0)
        kernel::log::warn(
            "TSC rate unknown ({} PIT windows all disturbed, no rate in CPUID): "
            "boot time not measured",
            pit.disturbed);
    else
        kernel::log::warn(
            "TSC rate unknown (no working PIT, no rate in CPUID): boot time not measured");
}

}  // namespace init
