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
                      ktl::string_view interrupts_on, ktl::string_view instance) {
    const ktl::string_view holder = function_of(interrupts_on);
    const char* code_at = holder.size() == interrupts_on.size() ? "the code at " : "";
    if (instance.empty()) {
        kfmt::format_to(out,
                        "lock {} is taken by an interrupt handler at {} and with interrupts on at "
                        "{}: an interrupt arriving while {}{} holds it deadlocks this CPU (hold "
                        "it with IrqSaveSpinlockGuard)",
                        lock, handler, interrupts_on, code_at, holder);
        return;
    }
    kfmt::format_to(out,
                    "locks of class {} are taken by an interrupt handler at {} and with "
                    "interrupts on at {} (now lock {}): an interrupt arriving while {}{} holds "
                    "one deadlocks this CPU (hold them with IrqSaveSpinlockGuard)",
                    lock, handler, interrupts_on, instance, code_at, holder);
}

void write_recursion(kfmt::Sink& out, ktl::string_view lock, u32 cpu, ktl::string_view site,
                     ktl::string_view holder) {
    kfmt::format_to(out, "lock {} taken again by CPU {} at {}, which already holds it from {}",
                    lock, cpu, site, holder);
}

void write_order_step(kfmt::Sink& out, ktl::string_view from, ktl::string_view from_site,
                      ktl::string_view to, ktl::string_view to_site) {
    kfmt::format_to(out, "lock {} at {}, then lock {} at {}", from, from_site, to, to_site);
}

namespace {

// "A", or "A (0x...)" for an instance of a named class.
void write_lock(kfmt::Sink& out, ktl::string_view name, ktl::string_view instance) {
    kfmt::format_to(out, "{}", name);
    if (!instance.empty()) kfmt::format_to(out, " ({})", instance);
}

// Two CPUs taking the two locks in the two orders each wait for the other.
void write_order(kfmt::Sink& out, const NamedReport& r) {
    kfmt::format_to(out, "lock order inverted: CPU {} takes lock ", r.cpu);
    write_lock(out, r.lock, r.lock_instance);
    kfmt::format_to(out, " at {} while holding lock ", r.site[0]);
    write_lock(out, r.other, r.other_instance);
    kfmt::format_to(out, " from {}", r.site[1]);
    if (r.through == 0) {
        kfmt::format_to(out, ", but took {} while holding {} before: ", r.other, r.lock);
        write_order_step(out, r.lock, r.site[2], r.other, r.site[3]);
    } else {
        kfmt::format_to(out, ", but took {} after {} before, through {} other lock{} (below)",
                        r.other, r.lock, r.through, r.through == 1 ? "" : "s");
    }
}

// Two CPUs each holding one lock of a class and waiting for the other's.
void write_same_class(kfmt::Sink& out, const NamedReport& r) {
    kfmt::format_to(out, "lock class {} nested: CPU {} takes lock ", r.lock, r.cpu);
    write_lock(out, r.lock, r.lock_instance);
    kfmt::format_to(out, " at {} while holding lock ", r.site[0]);
    write_lock(out, r.other, r.other_instance);
    kfmt::format_to(out,
                    " from {}: no order is known between two locks of one class (if the code "
                    "fixes one, take the inner lock with lock_nested)",
                    r.site[1]);
}

}  // namespace

void write_report(kfmt::Sink& out, const NamedReport& r) {
    switch (r.problem) {
        case LockProblem::IrqUnsafe:
            write_irq_unsafe(out, r.lock, r.site[0], r.site[1], r.lock_instance);
            return;
        case LockProblem::Recursion:
            write_recursion(out, r.lock, r.cpu, r.site[0], r.site[1]);
            return;
        case LockProblem::HeldTooLong:
            kfmt::format_to(out, "lock {} held too long by CPU {} at {}; CPU {} waiting at {}",
                            r.lock, r.other_cpu, r.site[0], r.cpu, r.site[1]);
            return;
        case LockProblem::Order:
            write_order(out, r);
            return;
        case LockProblem::SameClass:
            write_same_class(out, r);
            return;
        case LockProblem::NotHeld:
            kfmt::format_to(out,
                            "lock {} released by CPU {} at {}, which does not hold it (its holder "
                            "took it at {})",
                            r.lock, r.cpu, r.site[0], r.site[1]);
            return;
    }
}

}  // namespace kernel::lock_debug
