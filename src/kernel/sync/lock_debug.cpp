#include "kernel/sync/lock_debug.hpp"

#include "kernel/debug/debug.hpp"
#include "kernel/panic/panic.hpp"
#include "kernel/smp/cpu.hpp"
#include "kernel/sync/lock_reports.hpp"

namespace kernel::lock_debug {

namespace {

// "function+0x1c", or the bare address where no symbol covers it (or the
// symbols are not loaded yet).
void describe(const void* address, bool is_return_address, debug::SymbolText& out) {
    const auto value = reinterpret_cast<u64>(address);
    if (debug::symbolize(value, out, is_return_address)) return;
    out.clear();
    kfmt::format_to(out, "{:#018x}", value);
}

// Three symbolized names and the words around them: past the 256 bytes
// panic() formats into, within the log's 512-byte line.
using ReportText = kfmt::Buffer<480>;

}  // namespace

void report_irq_unsafe(const void* lock, const IrqUsage& usage) {
    debug::SymbolText name;
    describe(lock, false, name);
    debug::SymbolText handler;
    describe(usage.handler_site(), true, handler);
    debug::SymbolText interrupts_on;
    describe(usage.interrupts_on_site(), true, interrupts_on);
    ReportText text;
    kfmt::Sink out(text);
    write_irq_unsafe(out, name.view(), handler.view(), interrupts_on.view());
    panic_message(text.view(), {__FILE__, __LINE__, __func__});
}

void report_recursion(const void* lock, u32 cpu, const void* site, const void* holder_site) {
    debug::SymbolText name;
    describe(lock, false, name);
    debug::SymbolText again;
    describe(site, true, again);
    debug::SymbolText holder;
    describe(holder_site, true, holder);
    ReportText text;
    kfmt::Sink out(text);
    write_recursion(out, name.view(), cpu, again.view(), holder.view());
    panic_message(text.view(), {__FILE__, __LINE__, __func__});
}

void report_held_too_long(const void* lock, u32 holder_cpu, const void* holder_site,
                          const void* waiting_site) {
    debug::SymbolText name;  // a global lock's name when data symbols are there
    describe(lock, false, name);
    debug::SymbolText holder;
    if (holder_site == nullptr)
        kfmt::format_to(holder, "a site that did not record itself");
    else
        describe(holder_site, true, holder);
    debug::SymbolText waiter;
    describe(waiting_site, true, waiter);
    panic("lock {} held too long by CPU {} at {}; CPU {} waiting at {}", name.view(), holder_cpu,
          holder.view(), smp::current_index(), waiter.view());
}

}  // namespace kernel::lock_debug
