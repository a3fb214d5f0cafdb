// The kernel's side of the lock-order check (lock_order.hpp): one held-lock
// stack per CPU, one table for the whole machine, the panic's words.
#include "arch/arch.hpp"
#include "kernel/debug/debug.hpp"
#include "kernel/log/log.hpp"
#include "kernel/panic/panic.hpp"
#include "kernel/smp/place.hpp"
#include "kernel/sync/guard.hpp"
#include "kernel/sync/lock_debug.hpp"
#include "kernel/sync/spinlock.hpp"

// Release builds (KEEL_DEBUG_LOCKS=0) keep no held locks and no table.
#if KEEL_DEBUG_LOCKS
namespace kernel::lock_debug {

namespace {

OrderClass class_of(const void* lock, u32 subclass) {
    const auto* spinlock = static_cast<const Spinlock*>(lock);
    return {spinlock->order_node(subclass), spinlock->lock_class(), subclass};
}

LockOrder g_order;
bool g_checking = true;    // set_order_checking
bool g_reporting = false;  // an inversion is being reported: no more checks
bool g_full_said = false;

bool load(const bool& flag) { return __atomic_load_n(&flag, __ATOMIC_RELAXED); }

// A panic takes locks in whatever order it finds them held: checking them
// could only turn its report into a nested panic.
bool checking() { return load(g_checking) && !load(g_reporting) && !panic_in_progress(); }

// The recorded chain past its first step, after the PANIC line.
void print_chain(const void* data) {
    const auto& found = *static_cast<const Inversion*>(data);
    const u32 shown = found.steps < Inversion::kShownSteps ? found.steps : Inversion::kShownSteps;
    for (u32 i = 0; i < shown; ++i) {
        const OrderStep& step = found.step[i];
        debug::SymbolText from;
        debug::SymbolText from_site;
        debug::SymbolText to;
        debug::SymbolText to_site;
        kfmt::Sink from_out(from);
        write_class(from_out, step.from);
        kfmt::Sink to_out(to);
        write_class(to_out, step.to);
        if (!debug::symbolize(reinterpret_cast<u64>(step.from_site), from_site, true))
            kfmt::format_to(from_site, "{:#018x}", reinterpret_cast<u64>(step.from_site));
        if (!debug::symbolize(reinterpret_cast<u64>(step.to_site), to_site, true))
            kfmt::format_to(to_site, "{:#018x}", reinterpret_cast<u64>(step.to_site));
        kfmt::Buffer<480> line;
        kfmt::Sink out(line);
        write_order_step(out, from.view(), from_site.view(), to.view(), to_site.view());
        log::info("  recorded order {}: {}", i + 1, line.view());
    }
    if (found.steps > shown) log::info("  ... and {} more steps", found.steps - shown);
}

// An inversion (steps > 0) or a class nested in itself (steps == 0).
[[noreturn]] void report_inversion(u32 cpu, const Inversion& found) {
    __atomic_store_n(&g_reporting, true, __ATOMIC_RELAXED);
    static Inversion kept;  // outlives this frame for the panic's details
    kept = found;
    static const debug::PanicContext context{print_chain, &kept, 0, 0, 0};
    if (found.steps > 1) debug::set_panic_context(&context);
    const bool nested = found.steps == 0;
    report({nested ? LockProblem::SameClass : LockProblem::Order,
            found.lock,
            found.held,
            {found.site, found.held_site, nested ? nullptr : found.step[0].from_site,
             found.steps == 1 ? found.step[0].to_site : nullptr},
            cpu,
            0,
            nested ? 0 : found.steps - 1,
            {found.lock_class.subclass, found.held_class.subclass}});
}

}  // namespace

// Each written by its own CPU (and the handlers interrupting it) only.
KEEL_PER_CPU smp::PerCpu<HeldLocks> g_held_locks;

void check_order_held(const void* lock, u32 cpu, const void* site, u32 subclass) {
    if (!checking()) return;
    const HeldLocks& held = g_held_locks[cpu];
    if (g_order.known(held, lock, subclass, class_of)) return;
    Inversion found{};
    LockOrder::Check result = LockOrder::Check::Fine;
    {
        // Only an NMI can then find the table's lock held by this CPU.
        const InterruptSaveGuard interrupts_off;
        result = g_order.check(cpu, held, lock, subclass, site, found, class_of);
    }
    if (result == LockOrder::Check::Inverted || result == LockOrder::Check::SameClass)
        report_inversion(cpu, found);
}

void released(const void* lock) {
    const void* site = __builtin_return_address(0);
    const u32 cpu = smp::current_place().cpu;
    HeldLocks& held = g_held_locks[cpu];
    if (!held.pop(lock) && checking()) {
        const auto* spinlock = static_cast<const Spinlock*>(lock);
        report({LockProblem::NotHeld, lock, nullptr, {site, spinlock->holder_site()}, cpu, 0, 0});
    }
    // Said when this CPU holds nothing (the log takes a lock of its own),
    // once, by whichever CPU gets there first.
    if (!load(g_full_said) && held.empty() && g_order.full() &&
        !__atomic_exchange_n(&g_full_said, true, __ATOMIC_RELAXED)) {
        const OrderStats stats = g_order.stats();
        log::warn(
            "locks: the lock-order table is full ({} locks, {} orders): no more orders are "
            "recorded or checked",
            stats.nodes, stats.edges);
    }
}

void set_order_checking(bool on) { __atomic_store_n(&g_checking, on, __ATOMIC_RELAXED); }

OrderStats order_stats() { return g_order.stats(); }

}  // namespace kernel::lock_debug
#endif
