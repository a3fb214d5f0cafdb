// The tick against the TSC: its rate, masking it, and sleep's accuracy.
// Each test logs what it measured (the boot tests in
// tests/qemu/interrupts_tests.cmake check the numbers too).
#include "arch/arch.hpp"
#include "kernel/log/log.hpp"
#include "kernel/test/ktest.hpp"
#include "kernel/time/tick.hpp"

namespace {

// Microseconds between two readings of the boot clock (the TSC).
u64 now_us() { return arch::microseconds_since_boot(); }

}  // namespace

KTEST(timer_tick_rate_against_the_tsc) {
    KEXPECT(kernel::time::tick_hz() == kernel::time::kTickHz);
    if (kernel::time::tick_hz() == 0) return;
    const u64 start_us = now_us();
    const u64 start = kernel::time::ticks();
    const u64 start_interrupts = kernel::time::tick_interrupts();
    while (now_us() - start_us < 1'000'000) arch::pause();
    const u64 per_second = kernel::time::ticks() - start;
    const u64 interrupts = kernel::time::tick_interrupts() - start_interrupts;
    kernel::log::info("timer: {} ticks in 1 s of TSC time ({} interrupts)", per_second, interrupts);
    KEXPECT(per_second >= 90 && per_second <= 110);
    // Most periods end with their own interrupt: a timer calibrated too
    // slow would fire late and leave every other period to the next one.
    // (Not all: a busy host may hold the emulated CPU up for a while.)
    KEXPECT(interrupts * 10 >= per_second * 6);
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
    KEXPECT(unmasked >= 5);
}

KTEST(timer_sleep_100ms_lasts_100ms) {
    const u64 start_us = now_us();
    const u64 ticks = kernel::time::ticks();
    kernel::time::sleep_us(100'000);
    const u64 slept = now_us() - start_us;
    kernel::log::info("timer: sleep_us(100000) took {} us ({} ticks)", slept,
                      kernel::time::ticks() - ticks);
    KEXPECT(slept >= 100'000 && slept <= 110'000);
    // It slept: the ticks kept coming meanwhile.
    if (kernel::time::tick_hz() != 0) KEXPECT(kernel::time::ticks() - ticks >= 8);
}

KTEST(timer_deadline_expires) {
    const kernel::time::Deadline d = kernel::time::deadline_after_us(5'000);
    KEXPECT(!kernel::time::expired(d));
    kernel::time::sleep_us(6'000);
    KEXPECT(kernel::time::expired(d));
}
