// The tick against the TSC: its rate, masking it, and sleep's accuracy.
// Each test logs what it measured (the boot tests in
// tests/qemu/interrupts_tests.cmake check the numbers too).
#include "arch/arch.hpp"
#include "kernel/log/log.hpp"
#include "kernel/test/ktest.hpp"
#include "kernel/time/clock.hpp"
#include "kernel/time/reference.hpp"
#include "kernel/time/tick.hpp"

namespace {

// Microseconds between two readings of the boot clock (the TSC).
u64 now_us() { return arch::microseconds_since_boot(); }

}  // namespace

// Whether the timer kept to the periods it was armed for since `since`
// (kernel::time::period_timing). The tick's count cannot tell: its
// deadlines are on the TSC's grid and periods that end without an
// interrupt are counted anyway, so a timer firing every third period still
// makes 100 ticks a second. Each one-shot armed for at least a quarter
// period is timed from arming to its interrupt. A host holding the
// emulated CPU makes many late but none early, so the smallest is the
// timer's own rate, give or take the host: with 2 cores and a load of 14
// the median was 4x and the smallest 1.25x. The count rate is measured
// over 250 us windows whose ends are pinned within 5 us, a few percent at
// worst. So a correct timer stays within 0.9x-1.75x on a loaded host,
// while one armed with a count rate mis-measured by 2x or 3x takes 0.5x
// or at least 2x on every period (a timer cannot fire before its count
// runs out).
void expect_periods_kept(kernel::test::Context& ktest_context, u64 since) {
    const kernel::time::PeriodTiming t = kernel::time::period_timing(since);
    kernel::log::info(
        "timer: {} periods timed, each took {}.{:03}x (smallest) {}.{:03}x (median) "
        "of what it was armed for",
        t.periods, t.min_permille / 1000, t.min_permille % 1000, t.median_permille / 1000,
        t.median_permille % 1000);
    // A late interrupt leaves less than a quarter period to the next
    // deadline, so fewer periods are timed than ticks pass; ten are plenty
    // for one that the host left alone.
    KEXPECT(t.periods >= 10);
    KEXPECT(t.min_permille >= 900 && t.min_permille <= 1750);
}

// Without a TSC rate (no PIT, or one too disturbed to calibrate against)
// nothing can be timed: the tick does not start and these tests have
// nothing to measure.
bool clock_known() { return arch::microseconds_since_boot() != 0; }

KTEST(timer_tick_rate_against_the_tsc) {
    if (!clock_known()) return;
    KEXPECT(kernel::time::tick_hz() == kernel::time::kTickHz);
    if (kernel::time::tick_hz() == 0) return;
    const u64 start_us = now_us();
    const u64 start = kernel::time::ticks();
    const u64 start_interrupts = kernel::time::tick_interrupts();
    const u64 start_timed = kernel::time::timed_periods();
    while (now_us() - start_us < 1'000'000) arch::pause();
    const u64 per_second = kernel::time::ticks() - start;
    const u64 interrupts = kernel::time::tick_interrupts() - start_interrupts;
    kernel::log::info("timer: {} ticks in 1 s of TSC time ({} interrupts)", per_second, interrupts);
    KEXPECT(per_second >= 90 && per_second <= 110);
    // Periods end with their own interrupt, but for those a busy host
    // held the emulated CPU up through (about half of them with 2 cores
    // and a load of 15): a timer that fires rarely (calibrated far too
    // slow, or dead after the first period) still fails.
    KEXPECT(interrupts * 10 >= per_second * 3);
    expect_periods_kept(ktest_context, start_timed);
}

KTEST(timer_masked_tick_stops) {
    if (kernel::time::tick_hz() == 0) return;
    kernel::time::mask_tick(true);
    const u64 before = kernel::time::tick_interrupts();
    const u64 start_us = now_us();
    while (now_us() - start_us < 100'000) arch::pause();
    const u64 while_masked = kernel::time::tick_interrupts() - before;
    kernel::time::mask_tick(false);
    const u64 after_interrupts = kernel::time::tick_interrupts();
    while (now_us() - start_us < 200'000) arch::pause();
    const u64 unmasked = kernel::time::tick_interrupts() - after_interrupts;
    kernel::log::info("timer: {} tick interrupts in 100 ms masked, {} in 100 ms unmasked",
                      while_masked, unmasked);
    KEXPECT(while_masked == 0);
    // Unmasked, the tick is back: about 10 in those 100 ms, but a host
    // that holds the emulated CPU (a loaded CI machine) may let fewer
    // through, so up to 1 s more is given for 5, the count that shows it.
    const u64 deadline_us = now_us() + 1'000'000;
    while (kernel::time::tick_interrupts() - after_interrupts < 5 && now_us() < deadline_us)
        arch::pause();
    KEXPECT(kernel::time::tick_interrupts() - after_interrupts >= 5);
}

KTEST(timer_sleep_100ms_lasts_100ms) {
    if (!clock_known()) return;
    // sleep_us counts the TSC: the reference counter (the HPET, else the
    // ACPI PM timer) checks that the TSC's rate, and so the sleep, is true.
    const kernel::time::ReferenceCounter* ref = kernel::time::reference_counter();
    const u64 ref_start = ref != nullptr ? ref->read() : 0;
    const u64 start_us = now_us();
    const u64 ticks = kernel::time::ticks();
    kernel::time::sleep_us(100'000);
    const u64 slept = now_us() - start_us;
    const u64 ref_end = ref != nullptr ? ref->read() : 0;
    kernel::log::info("timer: sleep_us(100000) took {} us ({} ticks)", slept,
                      kernel::time::ticks() - ticks);
    KEXPECT(slept >= 100'000 && slept <= 110'000);
    if (ref != nullptr) {
        const u64 witnessed = kernel::time::reference_elapsed_us(*ref, ref_start, ref_end);
        kernel::log::info("timer: sleep_us(100000) took {} us of {} time", witnessed, ref->name);
        // The sleep is never short by its own clock (above); by the
        // reference's it may be short by the TSC rate's calibration error,
        // which under a busy host reached 0.1% (99903 us, measured): 1% is
        // allowed, the 10% above.
        KEXPECT(witnessed >= 99'000 && witnessed <= 110'000);
    } else {
        kernel::log::info("# timer: no HPET or ACPI PM timer: the sleep is timed by the TSC only");
    }
    // It slept: the ticks kept coming meanwhile.
    if (kernel::time::tick_hz() != 0) KEXPECT(kernel::time::ticks() - ticks >= 8);
}

KTEST(timer_deadline_expires) {
    if (!clock_known()) return;
    const u64 made = kernel::time::now_ns();
    kernel::time::Deadline d = kernel::time::deadline_after_us(5'000);
    const bool at_once = kernel::time::expired(d);
    const u64 looked = kernel::time::now_ns();
    // Never before its time. (At the first look only if 5 ms did pass in
    // between: a busy host can stop the virtual CPU that long, which made
    // this test fail under load when it asserted "not expired" outright.)
    KEXPECT(!at_once || looked - made >= 5'000'000);
    kernel::time::sleep_us(6'000);
    KEXPECT(kernel::time::expired(d));
}
