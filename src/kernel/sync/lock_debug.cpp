#include "kernel/sync/lock_debug.hpp"

#include "kernel/debug/debug.hpp"
#include "kernel/panic/panic.hpp"
#include "kernel/sync/lock_reports.hpp"

namespace kernel::lock_debug {

namespace {

// "function+0x1c", or the bare address where no symbol covers it (or the
// symbols are not loaded yet); a null site is one that never recorded.
void describe(const void* address, bool is_return_address, debug::SymbolText& out) {
    if (address == nullptr) {
        kfmt::format_to(out, "a site that did not record itself");
        return;
    }
    const auto value = reinterpret_cast<u64>(address);
    if (debug::symbolize(value, out, is_return_address)) return;
    out.clear();
    kfmt::format_to(out, "{:#018x}", value);
}

// How many sites each problem names (lock_reports.hpp).
u32 site_count(LockProblem problem) { return problem == LockProblem::Order ? 4 : 2; }

// Four symbolized names and the words around them: past the 256 bytes
// panic() formats into, within the log's 512-byte line.
using ReportText = kfmt::Buffer<480>;

}  // namespace

void report(const LockReport& r) {
    debug::SymbolText lock;  // a global lock's name when data symbols are there
    describe(r.lock, false, lock);
    debug::SymbolText other;
    if (r.other != nullptr) describe(r.other, false, other);
    debug::SymbolText sites[4];
    NamedReport named{r.problem, lock.view(), other.view(), {}, r.cpu, r.other_cpu, r.through};
    for (u32 i = 0; i < site_count(r.problem); ++i) {
        describe(r.site[i], true, sites[i]);
        named.site[i] = sites[i].view();
    }
    ReportText text;
    kfmt::Sink out(text);
    write_report(out, named);
    panic_message(text.view(), {__FILE__, __LINE__, __func__});
}

}  // namespace kernel::lock_debug
