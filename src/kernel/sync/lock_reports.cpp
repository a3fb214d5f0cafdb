#include "kernel/sync/lock_reports.hpp"

#include "lib/format/format.hpp"

namespace kernel::lock_debug {

ktl::string_view function_of(ktl::string_view site) {
    // The last "+0x": a demangled name may hold a '+' of its own (operator+).
    for (usize i = site.size(); i >= 3; --i)
        if (site.substr(i - 3, 3) == "+0x") return site.substr(0, i - 3);
    return site;
}

void write_irq_unsafe(kfmt::Sink& out, ktl::string_view lock, ktl::string_view handler,
                      ktl::string_view interrupts_on) {
    const ktl::string_view holder = function_of(interrupts_on);
    kfmt::format_to(out,
                    "lock {} is taken by an interrupt handler at {} and with interrupts on at {}: "
                    "an interrupt arriving while {}{} holds it deadlocks this CPU (hold it with "
                    "IrqSaveSpinlockGuard)",
                    lock, handler, interrupts_on,
                    holder.size() == interrupts_on.size() ? "the code at " : "", holder);
}

void write_recursion(kfmt::Sink& out, ktl::string_view lock, u32 cpu, ktl::string_view site,
                     ktl::string_view holder) {
    kfmt::format_to(out, "lock {} taken again by CPU {} at {}, which already holds it from {}",
                    lock, cpu, site, holder);
}

}  // namespace kernel::lock_debug
