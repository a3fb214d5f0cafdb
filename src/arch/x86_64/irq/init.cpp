// The Interrupts phase (arch/setup.hpp's init_interrupts): the PIC masked,
// the local APIC and the I/O APICs brought up, the IRQ API (irq.cpp) made
// ready, and the tick started, each said in one line.
#include "arch/arch.hpp"
#include "arch/setup.hpp"
#include "arch/x86_64/apic/io_apic.hpp"
#include "arch/x86_64/apic/local_apic.hpp"
#include "arch/x86_64/apic/local_timer.hpp"
#include "arch/x86_64/apic/pic.hpp"
#include "arch/x86_64/irq/irq.hpp"
#include "arch/x86_64/tsc.hpp"
#include "kernel/acpi/platform.hpp"
#include "kernel/log/log.hpp"
#include "kernel/time/reference.hpp"
#include "kernel/time/tick.hpp"
#include "lib/format/format.hpp"

namespace arch {
namespace {
// Without a tick and without a clock rate, how sleeps and timeouts are
// bounded (arch::Timeout, docs/time.md "Bounded waits").
void report_clockless_waits(const char* why) {
    using kernel::time::WaitClock;
    switch (wait_clock()) {
        case WaitClock::Reference:
            kernel::log::warn(
                "timer: no tick ({}): no clock either, so sleeps and timeouts count the {}'s ticks",
                why, kernel::time::reference_counter()->name);
            return;
        case WaitClock::TimestampAssumed:
            kernel::log::warn(
                "timer: no tick ({}): no clock either, so sleeps and timeouts take the TSC at "
                "{} GHz, the fastest plausible: they run long, never short",
                why, tsc::kMaxHz / 1'000'000'000);
            return;
        case WaitClock::Timestamp:
        case WaitClock::Steps:
            break;
    }
    kernel::log::warn(
        "timer: no tick ({}): no clock either, so a sleep is a count of port writes "
        "(about 1 us each on real hardware)",
        why);
}
// The Interrupts phase's line: the local APIC and how many I/O APICs serve
// device interrupts (none: said why, and that devices must poll).
void report_controllers(const lapic::Info& local, const ioapic::Summary& io) {
    namespace log = kernel::log;
    kfmt::Buffer<64> mode;
    if (local.x2apic)
        kfmt::format_to(mode, "x2APIC");
    else
        kfmt::format_to(mode, "xAPIC at {:#x}", local.base);
    if (io.count != 0) {
        log::info("interrupts: local APIC {} ({}), {} I/O APIC{}, PIC masked", local.id,
                  mode.view(), io.count, io.count == 1 ? "" : "s");
        log::debug("interrupts: {} I/O APIC inputs, all masked", io.inputs);
        return;
    }
    log::info("interrupts: local APIC {} ({}), no I/O APIC, PIC masked", local.id, mode.view());
    if (io.failed > 0)
        log::warn("interrupts: none of the MADT's {} I/O APIC{} can be used; device interrupts off",
                  io.failed, io.failed == 1 ? "" : "s");
    else
        log::warn("interrupts: no I/O APIC in the ACPI tables; device interrupts off");
}
}  // namespace
}  // namespace arch

void arch::init_interrupts(const kernel::acpi::Platform* platform) {
    namespace log = kernel::log;
    pic::remap_and_mask();
    const kernel::acpi::Madt* madt =
        platform != nullptr && platform->madt_state == kernel::acpi::Found::Parsed ? &platform->madt
                                                                                   : nullptr;
    const lapic::Info local = lapic::init(madt);
    if (local.error != nullptr) {
        log::warn("interrupts: no local APIC ({}); PIC masked, device interrupts off", local.error);
        irq::api_unavailable();
        enable_interrupts();
        return;
    }
    const ioapic::Summary io = madt != nullptr ? ioapic::init(*madt) : ioapic::Summary{};
    report_controllers(local, io);
    irq::api_ready(io.count == 0 ? nullptr : madt);
    enable_interrupts();

    const local_timer::Started timer = local_timer::start(kernel::time::kTickHz);
    if (timer.error != nullptr && timestamp_rate() == 0)
        report_clockless_waits(timer.error);
    else if (timer.error != nullptr)
        log::warn("timer: no tick ({}): sleeping spins on the {}", timer.error,
                  tsc::present() ? "TSC" : "clock's counter");
    else if (timer.tsc_deadline)
        log::info("timer: local APIC timer in TSC-deadline mode, {} Hz tick on vector {:#x}",
                  kernel::time::kTickHz, timer.vector);
    else
        log::info(
            "timer: local APIC timer at {} kHz (calibrated against {}), {} Hz tick "
            "on vector {:#x}",
            timer.timer_hz / 1000,
            timestamp_counter_present() ? ktl::string_view("the TSC") : timestamp_rate_source(),
            kernel::time::kTickHz, timer.vector);
}
