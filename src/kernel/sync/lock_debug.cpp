#include "kernel/sync/lock_debug.hpp"

#include "kernel/debug/debug.hpp"
#include "kernel/panic/panic.hpp"
#include "kernel/sync/lock_reports.hpp"
#include "kernel/sync/spinlock.hpp"

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

// A lock in a report: its class's name and, where the class is not the
// lock itself, its address apart (`instance`) or after the name.
void describe_lock(const void* lock, u8 subclass, debug::SymbolText& name,
                   debug::SymbolText* instance) {
    const LockClass* named = static_cast<const Spinlock*>(lock)->lock_class();
    if (named == nullptr) {
        describe(lock, false, name);
        return;
    }
    kfmt::Sink out(name);
    write_class(out, {named, subclass, true});
    if (instance == nullptr) {
        kfmt::format_to(out, " ({:#018x})", reinterpret_cast<u64>(lock));
    } else {
        kfmt::format_to(*instance, "{:#018x}", reinterpret_cast<u64>(lock));
    }
}

// Four symbolized names and the words around them: past the 256 bytes
// panic() formats into, within the log's 512-byte line.
using ReportText = kfmt::Buffer<480>;

}  // namespace

void write_class(kfmt::Sink& out, const ClassName& name) {
    if (!name.named) {
        debug::SymbolText text;
        describe(name.key, false, text);
        kfmt::format_to(out, "{}", text.view());
        return;
    }
    kfmt::format_to(out, "{}", static_cast<const LockClass*>(name.key)->name());
    if (name.subclass != 0) kfmt::format_to(out, "/{}", name.subclass);
}

void report(const LockReport& r) {
    // Orders, and the interrupt rule of a class, are between classes: the
    // instances go apart.
    const bool classes = r.problem == LockProblem::Order || r.problem == LockProblem::SameClass ||
                         r.problem == LockProblem::IrqUnsafe;
    debug::SymbolText lock;  // a global lock's name when data symbols are there
    debug::SymbolText lock_instance;
    describe_lock(r.lock, r.subclass[0], lock, classes ? &lock_instance : nullptr);
    debug::SymbolText other;
    debug::SymbolText other_instance;
    if (r.other != nullptr)
        describe_lock(r.other, r.subclass[1], other, classes ? &other_instance : nullptr);
    debug::SymbolText sites[4];
    NamedReport named{r.problem, lock.view(),          other.view(),         {}, r.cpu, r.other_cpu,
                      r.through, lock_instance.view(), other_instance.view()};
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
