#include "kernel/sync/lock_debug.hpp"

#include "kernel/debug/debug.hpp"
#include "kernel/panic/panic.hpp"
#include "kernel/smp/cpu.hpp"

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

}  // namespace

u32 current_cpu() { return smp::current_index(); }

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
          holder.view(), current_cpu(), waiter.view());
}

}  // namespace kernel::lock_debug
