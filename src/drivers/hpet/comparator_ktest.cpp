// The HPET's timer 0 through the I/O APIC (drivers/hpet/comparator.hpp):
// a one-shot interrupt arrives once, no earlier than programmed, measured
// by the TSC clock; a periodic one keeps its period and stops when told.
// Named irq_* so that the interrupt test runs (test=irq_) include them.
#include "drivers/hpet/comparator.hpp"
#include "drivers/hpet/hpet.hpp"
#include "kernel/irq/irq.hpp"
#include "kernel/log/log.hpp"
#include "kernel/test/ktest.hpp"
#include "kernel/time/clock.hpp"

namespace {

namespace comparator = drivers::hpet::comparator;
constexpr u64 kMs = 1'000'000;
// TCG and Bochs may hold the emulated CPU for a long while; only an
// interrupt that never comes, or comes early, is wrong.
constexpr u64 kLateNs = 2000 * kMs;

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
    const u64 before = comparator::fired();
    const u64 start = kernel::time::now_ns();
    KEXPECT(comparator::arm_oneshot(kDelayNs).ok());
    wait_until(start + kDelayNs + kLateNs, before + 1);
    const u64 took = comparator::last_fired_ns() - start;
    KEXPECT(comparator::fired() == before + 1);
    kernel::log::info("hpet: one-shot of {} us arrived after {} us", kDelayNs / 1000, took / 1000);
    // The TSC was calibrated against this HPET: 2% covers that error.
    KEXPECT(took >= kDelayNs / 100 * 98);
    KEXPECT(took <= kDelayNs + kLateNs);
    wait_ms(50);
    KEXPECT(comparator::fired() == before + 1);
    const Result<kernel::irq::LineInfo, kernel::irq::IrqError> after =
        kernel::irq::info(comparator::handle());
    KEXPECT(after && after->count >= 1);
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
    KEXPECT(comparator::arm_periodic(kPeriodNs).ok());
    wait_until(start + kCount * kPeriodNs + kLateNs, before + kCount);
    const u64 took = comparator::last_fired_ns() - start;
    const u64 got = comparator::fired() - before;
    comparator::stop();
    kernel::log::info("hpet: {} periodic interrupts of {} us in {} us", got, kPeriodNs / 1000,
                      took / 1000);
    KEXPECT(got >= kCount);
    // Never faster than the period (a late one may be followed by a
    // quicker one, but the sum keeps to the counter).
    KEXPECT(took >= kCount * kPeriodNs / 100 * 98);
    wait_ms(2);
    const u64 stopped = comparator::fired();
    wait_ms(50);
    KEXPECT(comparator::fired() == stopped);
    KEXPECT(released_cleanly());
}
