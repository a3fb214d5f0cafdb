// The HPET's timer 0 through the I/O APIC (drivers/hpet/comparator.hpp):
// a one-shot interrupt arrives once, no earlier than programmed by the TSC
// clock, and the comparator holds the match the delay asks for; a periodic
// one advances its comparator by whole periods and stops when told.
// Named irq_* so that the interrupt test runs (test=irq_) include them.
//
// Under emulation an interrupt may come very late (a busy host holds the
// virtual CPU), so arrival times bound a timer only from below; what the
// device was told is read back from its comparator, in counter ticks
// computed here independently of the driver.
#include "drivers/hpet/comparator.hpp"
#include "drivers/hpet/hpet.hpp"
#include "kernel/irq/irq.hpp"
#include "kernel/log/log.hpp"
#include "kernel/test/ktest.hpp"
#include "kernel/time/clock.hpp"

namespace {

namespace comparator = drivers::hpet::comparator;
constexpr u64 kMs = 1'000'000;
constexpr u64 kLateNs = 2000 * kMs;
// Differences of counter and comparator readings: a 32-bit comparator
// holds the low half of the match, and every delay here is far below 2^32
// ticks.
constexpr u64 kLow32 = 0xFFFF'FFFFULL;

bool testable() {
    if (drivers::hpet::present() && kernel::time::clock_running()) return true;
    kernel::log::info("# hpet: no HPET or no clock: the comparator is not tested (skipped)");
    return false;
}

bool claimed_for_test() {
    const Result<void, ktl::string_view> r = comparator::claim();
    if (!r) kernel::log::info("# hpet: timer 0 not claimed: {}", r.error());
    return r.ok();
}

// `ns` in main-counter ticks, rounded up (ns below 18 s: no overflow).
u64 ticks(u64 ns) {
    const u64 period_fs = drivers::hpet::capabilities().period_fs;
    return (ns * 1'000'000 + period_fs - 1) / period_fs;
}

// Arms with `arm` and checks the comparator was set `ns` after the counter
// reading just before (allowing for the counter's advance while arming).
template <typename Arm>
bool armed_with_delay(Arm arm, u64 ns) {
    const u64 before = drivers::hpet::read_counter();
    if (!arm(ns).ok()) return false;
    const u64 after = drivers::hpet::read_counter();
    const u64 match = comparator::read_comparator();
    const bool ok =
        ((match - after) & kLow32) <= ticks(ns) && ticks(ns) <= ((match - before) & kLow32);
    if (!ok)
        kernel::log::info("# hpet: comparator {:#x} for {} ns after counter {:#x}..{:#x}", match,
                          ns, before, after);
    return ok;
}

void wait_until(u64 deadline_ns, u64 fired) {
    while (comparator::fired() < fired && kernel::time::now_ns() < deadline_ns)
        __builtin_ia32_pause();
}

void wait_ms(u64 ms) {
    const u64 end = kernel::time::now_ns() + ms * kMs;
    while (kernel::time::now_ns() < end) __builtin_ia32_pause();
}

// Releases the timer: true when its line left the `irq` listing.
bool released_cleanly() {
    const kernel::irq::Handle h = comparator::handle();
    comparator::release();
    return !comparator::claimed() &&
           kernel::irq::info(h).error() == kernel::irq::IrqError::BadHandle;
}

}  // namespace

KTEST(irq_hpet_oneshot_fires_once_after_its_delay) {
    if (!testable()) return;
    const bool claimed = claimed_for_test();
    KEXPECT(claimed);
    if (!claimed) return;
    const Result<kernel::irq::LineInfo, kernel::irq::IrqError> line =
        kernel::irq::info(comparator::handle());
    KEXPECT(line && line->name == comparator::kLineName && !line->masked);
    KEXPECT(!comparator::claim().ok());  // one owner at a time

    constexpr u64 kDelayNs = 20 * kMs;
    for (int round = 0; round < 3; ++round) {
        const u64 before = comparator::fired();
        const u64 start = kernel::time::now_ns();
        KEXPECT(armed_with_delay(comparator::arm_oneshot, kDelayNs));
        wait_until(start + kDelayNs + kLateNs, before + 1);
        const u64 took = comparator::last_fired_ns() - start;
        KEXPECT(comparator::fired() == before + 1);
        kernel::log::info("hpet: one-shot of {} us arrived after {} us", kDelayNs / 1000,
                          took / 1000);
        // The TSC was calibrated against this HPET: 2% covers that error.
        KEXPECT(took >= kDelayNs / 100 * 98);
        KEXPECT(took <= kDelayNs + kLateNs);
    }
    const u64 fired = comparator::fired();
    wait_ms(50);
    KEXPECT(comparator::fired() == fired);  // once each
    const Result<kernel::irq::LineInfo, kernel::irq::IrqError> after =
        kernel::irq::info(comparator::handle());
    KEXPECT(after && after->count >= 3);
    KEXPECT(!comparator::arm_oneshot(1000).ok());  // below the minimum
    KEXPECT(released_cleanly());
}

KTEST(irq_hpet_periodic_keeps_its_period_and_stops) {
    if (!testable()) return;
    const bool claimed = claimed_for_test();
    KEXPECT(claimed);
    if (!claimed) return;
    if (!comparator::can_be_periodic()) {
        kernel::log::info("# hpet: timer 0 cannot be periodic (skipped)");
        KEXPECT(!comparator::arm_periodic(10 * kMs).ok());
        KEXPECT(released_cleanly());
        return;
    }
    constexpr u64 kPeriodNs = 10 * kMs;
    constexpr u64 kCount = 10;
    const u64 before = comparator::fired();
    const u64 start = kernel::time::now_ns();
    KEXPECT(armed_with_delay(comparator::arm_periodic, kPeriodNs));
    const u64 first = comparator::read_comparator();
    // Each interrupt's handler reads the next match: whole periods later.
    u64 seen = before;
    u64 uneven = 0;
    const u64 deadline = start + kCount * kPeriodNs + kLateNs;
    while (seen < before + kCount && kernel::time::now_ns() < deadline) {
        const u64 now = comparator::fired();
        if (now == seen) {
            __builtin_ia32_pause();
            continue;
        }
        seen = now;
        const u64 advanced = (comparator::last_fired_comparator() - first) & kLow32;
        if (advanced == 0 || advanced % ticks(kPeriodNs) != 0) ++uneven;
    }
    const u64 took = comparator::last_fired_ns() - start;
    const u64 got = comparator::fired() - before;
    comparator::stop();
    kernel::log::info("hpet: {} periodic interrupts of {} us in {} us", got, kPeriodNs / 1000,
                      took / 1000);
    KEXPECT(got >= kCount);
    KEXPECT(uneven == 0);
    // Never faster than the period (a late one may be followed by a
    // quicker one, but the sum keeps to the counter).
    KEXPECT(took >= kCount * kPeriodNs / 100 * 98);
    wait_ms(2);
    const u64 stopped = comparator::fired();
    wait_ms(50);
    KEXPECT(comparator::fired() == stopped);
    KEXPECT(released_cleanly());
}
