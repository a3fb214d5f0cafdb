// lapic::send_ipi's wait for the delivery status (local_apic.hpp): a bound
// in time, whatever the clock. QEMU's APIC clears the bit at once, so the
// test waits on a stand-in that never clears, as a broken APIC's would.
#include "arch/arch.hpp"
#include "arch/x86_64/apic/local_apic.hpp"
#include "kernel/log/log.hpp"
#include "kernel/test/ktest.hpp"
#include "kernel/time/reference.hpp"

namespace {

u64 g_polls = 0;
bool always_pending() {
    ++g_polls;
    return true;
}
bool never_pending() { return false; }

}  // namespace

KTEST(ipi_send_wait_ends_at_once_when_sent) {
    KEXPECT(arch::lapic::wait_until_sent(never_pending));
}

KTEST(ipi_send_wait_gives_up_after_its_bound) {
    const kernel::time::ReferenceCounter* ref = kernel::time::reference_counter();
    g_polls = 0;
    const u64 ref_start = ref != nullptr ? ref->read() : 0;
    KEXPECT(!arch::lapic::wait_until_sent(always_pending));
    const u64 ref_end = ref != nullptr ? ref->read() : 0;
    constexpr u64 kBound = arch::lapic::kIpiSendTimeoutUs;
    if (arch::wait_clock() == kernel::time::WaitClock::Steps) {
        // Each poll is one ~1 us step: no fewer than the bound.
        kernel::log::info("ipi: gave up after {} polls ({} us in steps)", g_polls, kBound);
        KEXPECT(g_polls >= kBound);
        return;
    }
    if (ref == nullptr) return;
    const u64 took = kernel::time::reference_elapsed_us(*ref, ref_start, ref_end);
    kernel::log::info("ipi: gave up after {} us of {} time ({} polls)", took, ref->name, g_polls);
    // As timeout_lasts_at_least_what_it_was_given: 1% for the time
    // counter's calibration against this reference.
    KEXPECT(took + kBound / 100 >= kBound);
}
