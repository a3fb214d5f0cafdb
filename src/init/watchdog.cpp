#include "init/watchdog.hpp"

#include "drivers/hpet/hpet.hpp"
#include "drivers/hpet/nmi_timer.hpp"
#include "kernel/log/log.hpp"
#include "kernel/smp/cpu.hpp"
#include "kernel/time/tick.hpp"
#include "kernel/watchdog/watchdog.hpp"

namespace init {

namespace {

// Often enough that the boot CPU's threshold is met within a second of
// its setting, rarely enough that its NMIs cost nothing.
constexpr u32 kNmiPeriodMs = 1000;

using NmiSource = Result<const kernel::watchdog::NmiSource*, ktl::string_view>;

// The HPET's NMI only where no other CPU watches the boot CPU: its I/O APIC
// input (GSI 16-23) may also be a PCI device's interrupt line on a real
// board, and which one is said only by the DSDT's _PRT, which Keel does not
// read; a device on it would raise NMIs nobody asked for. With several
// CPUs, their ticks watch each other without that risk.
NmiSource nmi_source(u32 cpus) {
    if (cpus > 1) {
        // Not a word about the HPET's NMI where there is no HPET to have one.
        if (!drivers::hpet::present()) return ktl::string_view{"no HPET"};
        return ktl::string_view{
            "the HPET's, where it can raise one, is kept for one CPU: its input may be a PCI "
            "device's too"};
    }
    return drivers::hpet::nmi_timer::reserve(kNmiPeriodMs);
}

}  // namespace

void start_watchdog(u32 seconds, bool interrupts) {
    if (seconds == 0) {
        kernel::log::info("watchdog: off (watchdog=off): a CPU stuck with interrupts off hangs");
        return;
    }
    if (!interrupts || kernel::time::tick_hz() == 0) {
        kernel::log::warn(
            "watchdog: off: no tick runs, so no CPU's heartbeat can be watched; a CPU stuck "
            "with interrupts off hangs");
        return;
    }
    const u32 cpus = kernel::smp::online_count();
    const NmiSource source = nmi_source(cpus);
    // The watchdog first: from run() on, every NMI of the source must find
    // it ready to claim it.
    kernel::watchdog::start(seconds, source ? *source : nullptr);
    if (source) {
        drivers::hpet::nmi_timer::run();
        kernel::log::info("watchdog: {} s; the one CPU is watched by {} every {} s", seconds,
                          (*source)->name, kNmiPeriodMs / 1000);
        return;
    }
    if (cpus > 1)
        kernel::log::info(
            "watchdog: {} s; CPUs watch each other by their ticks; no NMI source ({}): if every "
            "CPU is stuck with interrupts off at once, none is reported",
            seconds, source.error());
    else
        kernel::log::info(
            "watchdog: one CPU and no NMI source ({}): a CPU stuck with interrupts off cannot "
            "be detected",
            source.error());
}

}  // namespace init
