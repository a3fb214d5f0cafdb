// kernel/irq/irq.hpp on x86-64: lines routed through the I/O APICs to
// vectors taken from a pool of the handler table, delivered to the boot
// CPU's local APIC. See docs/interrupts.md for the discipline.
#include "arch/x86_64/irq/irq.hpp"

#include "kernel/irq/irq.hpp"

#include "arch/setup.hpp"
#include "arch/x86_64/apic/io_apic.hpp"
#include "arch/x86_64/apic/local_apic.hpp"
#include "arch/x86_64/apic/pic.hpp"
#include "arch/x86_64/apic/routing.hpp"
#include "arch/x86_64/cpu.hpp"
#include "arch/x86_64/interrupts/running_vector.hpp"
#include "arch/x86_64/irq/lines.hpp"
#include "kernel/acpi/platform.hpp"
#include "kernel/log/log.hpp"
#include "kernel/panic/panic.hpp"
#include "kernel/smp/cpu.hpp"
#include "kernel/sync/guard.hpp"

namespace kernel::irq {

ktl::string_view describe(IrqError error) {
    switch (error) {
        case IrqError::NotReady:
            return "interrupts are not set up yet (the Interrupts phase has not run)";
        case IrqError::NoLocalApic:
            return "device interrupts are off: the CPU has no usable local APIC";
        case IrqError::NoSuchLine:
            return "no I/O APIC serves that line";
        case IrqError::NoVector:
            return "no free vector (or line slot) is left";
        case IrqError::Busy:
            return "the line already has a handler";
        case IrqError::BadHandle:
            return "that handle is not an installed line";
    }
    return "unknown error";
}

}  // namespace kernel::irq

namespace arch::irq {

namespace {

using kernel::irq::Handle;
using kernel::irq::IrqError;

// Device vectors: above the PICs' 0x20-0x2F, below the local APIC's own
// (timer 0xE0-0xEF, error 0xF8-0xFE, spurious 0xFF). Higher vectors have
// higher priority (SDM Vol. 3A, 11.8.3).
constexpr u8 kFirstDeviceVector = 0x30;
constexpr u8 kLastDeviceVector = 0xDF;
// A storm: more than this many interrupts on one line within 100 ms
// (50 kHz; a device doing its work with interrupt moderation stays below).
constexpr u32 kStormLimit = 5000;

// Owner: this file. The table's own lock covers claim/release; install and
// remove hold g_api_lock around the whole sequence (slot, vector, I/O APIC
// entry) so that two installs of one GSI cannot interleave. Neither is
// taken on the dispatch path.
LineTable g_lines;
kernel::Spinlock g_api_lock;
// What the Interrupts phase found; written there only, before any AP runs.
enum class State : u8 {
    NotRun,       // the phase has not run yet
    Ready,        // it found a local APIC: the API works
    NoLocalApic,  // it found none: the API never will
};
State g_state = State::NotRun;
const kernel::acpi::Madt* g_madt = nullptr;
u64 g_unexpected = 0;
u64 g_storms = 0;
u64 g_reported[4] = {};  // vectors already reported unexpected, a bit each
// The line whose handler runs now, on each CPU (slot = CPU index): a line
// is routed to the CPU that installed it, so with several CPUs installing,
// two handlers can run at once. Written only by the slot's CPU.
Line* g_running[kMaxCpus] = {};

bool ready() { return g_state == State::Ready; }
// Why the API cannot be used yet (or at all): !ready().
IrqError unavailable() {
    return g_state == State::NoLocalApic ? IrqError::NoLocalApic : IrqError::NotReady;
}

Line*& running_here() { return g_running[kernel::smp::current_index()]; }

u64 storm_window() {
    const u64 hz = timestamp_rate();
    return hz != 0 ? hz / 10 : 100'000'000;
}

void report_storm(const Line& line) {
    if (line.isa_irq != kNoIsaIrq)
        kernel::log::error(
            "irq: interrupt storm on IRQ {} (GSI {}, vector {:#x}) \"{}\": over {} interrupts in "
            "100 ms; line masked",
            line.isa_irq, line.gsi, line.vector, line.name_view(), kStormLimit);
    else
        kernel::log::error(
            "irq: interrupt storm on GSI {} (vector {:#x}) \"{}\": over {} interrupts in 100 ms; "
            "line masked",
            line.gsi, line.vector, line.name_view(), kStormLimit);
}

// The line's part of an interrupt, once it is known to be still installed.
void handle_line(Line& line) {
    __atomic_fetch_add(&line.count, 1, __ATOMIC_RELAXED);
    if (__atomic_load_n(&line.stormed, __ATOMIC_RELAXED)) return;  // one already on its way
    if (line.storm.record(read_timestamp(), storm_window(), kStormLimit)) {
        ioapic::set_masked(line.gsi, true);
        __atomic_store_n(&line.masked, true, __ATOMIC_RELAXED);
        __atomic_store_n(&line.stormed, true, __ATOMIC_RELAXED);
        __atomic_fetch_add(&g_storms, 1, __ATOMIC_RELAXED);
        report_storm(line);
        return;
    }
    line.handler(line.context);
}

// What the handler table runs for every installed line. remove() must not
// free a slot whose handler still runs on another CPU: this CPU says which
// line it runs (g_running) before it looks at the line, then checks that
// the table still publishes it. remove() unpublishes, then waits while any
// CPU names the line. Both sides store, fence, then load, so one of them
// sees the other: either remove() waits for this handler, or this
// dispatch finds the line gone and touches nothing of it.
void dispatch_line(InterruptFrame& frame, void* context) {
    Line& line = *static_cast<Line*>(context);
    Line*& running = running_here();
    Line* const interrupted = running;
    __atomic_store_n(&running, &line, __ATOMIC_RELAXED);
    __atomic_thread_fence(__ATOMIC_SEQ_CST);
    if (interrupt_table().handler(static_cast<u8>(frame.vector)) == &line.entry) handle_line(line);
    __atomic_store_n(&running, interrupted, __ATOMIC_RELEASE);
    // After the handler: for a level line, the I/O APIC re-checks the pin
    // on this EOI, and the device must have been quietened by now. (A
    // stormed line's, or a removed one's, was delivered and needs it too.)
    lapic::eoi();
}

// How long remove() waits for a handler running on another CPU: a handler
// is short (docs/interrupts.md), so one still running after this is stuck.
constexpr u64 kRemoveWaitSeconds = 2;

// Returns once no CPU runs `line`'s handler (it is no longer published,
// so none starts it again); a panic naming the line and the CPU when one
// never ends.
void wait_for_handlers(const Line& line) {
    const u32 here = kernel::smp::current_index();
    if (__atomic_load_n(&g_running[here], __ATOMIC_RELAXED) == &line)
        kernel::panic(
            "irq: remove() of \"{}\" (GSI {}) called from its own handler; remove "
            "lines from thread context only",
            line.name_view(), line.gsi);
    __atomic_thread_fence(__ATOMIC_SEQ_CST);
    Timeout timeout(kRemoveWaitSeconds * 1'000'000);
    for (u32 cpu = 0; cpu < kMaxCpus; ++cpu) {
        while (__atomic_load_n(&g_running[cpu], __ATOMIC_ACQUIRE) == &line) {
            if (timeout.expired())
                kernel::panic(
                    "irq: remove() of \"{}\" (GSI {}) waited over {} s for its handler on CPU {} "
                    "to return",
                    line.name_view(), line.gsi, kRemoveWaitSeconds, cpu);
            pause();
        }
    }
}

Result<Handle, IrqError> install(u32 gsi, u8 isa_irq, ktl::string_view name,
                                 kernel::irq::Handler handler, void* context,
                                 kernel::irq::Trigger trigger, kernel::irq::Polarity polarity) {
    if (!ready()) return unavailable();
    if (handler == nullptr) return IrqError::BadHandle;
    if (!ioapic::serves(gsi)) return IrqError::NoSuchLine;
    const kernel::IrqSaveSpinlockGuard hold(g_api_lock);
    const Result<Line*, IrqError> claimed =
        g_lines.claim(gsi, isa_irq, name, handler, context, trigger, polarity);
    if (!claimed) return claimed.error();
    Line& line = **claimed;
    line.entry.handle = dispatch_line;
    const Result<u8, VectorError> vector =
        interrupt_table().allocate(line.entry, kFirstDeviceVector, kLastDeviceVector);
    if (!vector) {
        g_lines.release(line);
        return IrqError::NoVector;
    }
    line.vector = *vector;
    __atomic_store_n(&line.masked, false, __ATOMIC_RELAXED);
    ioapic::program(gsi, {line.vector, trigger, polarity, false, static_cast<u8>(lapic::id())});
    if (isa_irq != kNoIsaIrq)
        kernel::log::info("irq: IRQ {} -> GSI {} vector {:#x} ({}, {}) for \"{}\"", isa_irq, gsi,
                          line.vector, apic::trigger_name(trigger), apic::polarity_name(polarity),
                          line.name_view());
    else
        kernel::log::info("irq: GSI {} vector {:#x} ({}, {}) for \"{}\"", gsi, line.vector,
                          apic::trigger_name(trigger), apic::polarity_name(polarity),
                          line.name_view());
    return Handle{g_lines.id_of(line)};
}

Result<Line*, IrqError> line_of(Handle handle) {
    if (!ready()) return unavailable();
    Line* line = g_lines.find(handle.id);
    if (line == nullptr) return IrqError::BadHandle;
    return line;
}

kernel::irq::LineInfo info_of(const Line& line) {
    return {line.name_view(),
            line.isa_irq,
            line.gsi,
            line.vector,
            line.trigger,
            line.polarity,
            __atomic_load_n(&line.count, __ATOMIC_RELAXED),
            __atomic_load_n(&line.masked, __ATOMIC_RELAXED),
            __atomic_load_n(&line.stormed, __ATOMIC_RELAXED)};
}

}  // namespace

void handle_unexpected_vector(const InterruptFrame& frame, ktl::string_view why) {
    const u8 vector = static_cast<u8>(frame.vector);
    __atomic_fetch_add(&g_unexpected, 1, __ATOMIC_RELAXED);
    const u64 bit = u64{1} << (vector % 64);
    if ((__atomic_fetch_or(&g_reported[vector / 64], bit, __ATOMIC_RELAXED) & bit) == 0)
        kernel::log::warn(
            "interrupts: unexpected vector {:#x} ({}) at {:#018x}; counted, reported once", vector,
            why, frame.rip);
    // Delivered by the local APIC (not `int n`): it waits for an EOI and
    // holds back every lower-priority vector until then.
    if (lapic::in_service(vector)) lapic::eoi();
}

void describe_running_handler(kfmt::Buffer<256>& out) {
    const u8 vector = running_vector_here();
    const Line* line = running_here();
    // A fixed vector's handler (the local APIC timer, an IPI, the APIC's
    // own) nested inside a device line's is the one running: the line is
    // named only when its vector is the innermost.
    if (line != nullptr && (vector == 0 || vector == line->vector)) {
        if (line->isa_irq != kNoIsaIrq)
            kfmt::format_to(out, " inside the handler of IRQ {} \"{}\" (GSI {}, vector {:#x})",
                            line->isa_irq, line->name_view(), line->gsi, line->vector);
        else
            kfmt::format_to(out, " inside the handler of GSI {} \"{}\" (vector {:#x})", line->gsi,
                            line->name_view(), line->vector);
        return;
    }
    if (vector == 0) return;
    const InterruptHandler* handler = interrupt_table().handler(vector);
    kfmt::format_to(out, " inside the handler of \"{}\" (vector {:#x})",
                    handler != nullptr ? handler->name : "(removed)", vector);
}

void api_ready(const kernel::acpi::Madt* madt) {
    g_madt = madt;
    g_state = State::Ready;
}

void api_unavailable() { g_state = State::NoLocalApic; }

}  // namespace arch::irq

namespace kernel::irq {

Result<Handle, IrqError> install_isa(u8 irq, ktl::string_view name, Handler handler, void* context,
                                     Trigger trigger, Polarity polarity) {
    if (!arch::irq::ready()) return arch::irq::unavailable();
    if (irq > 15 || arch::irq::g_madt == nullptr) return IrqError::NoSuchLine;
    const ktl::optional<arch::apic::IsaRoute> route = arch::apic::route_isa(
        irq, {arch::irq::g_madt->overrides, arch::irq::g_madt->override_count}, trigger, polarity);
    if (!route) return IrqError::NoSuchLine;
    return arch::irq::install(route->gsi, irq, name, handler, context, route->trigger,
                              route->polarity);
}

Result<Handle, IrqError> install_gsi(u32 gsi, ktl::string_view name, Handler handler, void* context,
                                     Trigger trigger, Polarity polarity) {
    return arch::irq::install(gsi, arch::irq::kNoIsaIrq, name, handler, context, trigger, polarity);
}

Result<void, IrqError> install_nmi_gsi(u32 gsi, ktl::string_view name, Polarity polarity) {
    if (!arch::irq::ready()) return arch::irq::unavailable();
    if (!arch::ioapic::serves(gsi)) return IrqError::NoSuchLine;
    const kernel::IrqSaveSpinlockGuard hold(arch::irq::g_api_lock);
    // The slot only names the line and keeps its GSI from others: its
    // handler is never installed on a vector.
    const Result<arch::irq::Line*, IrqError> claimed = arch::irq::g_lines.claim(
        gsi, arch::irq::kNoIsaIrq, name, [](void*) {}, nullptr, Trigger::Edge, polarity);
    if (!claimed) return claimed.error();
    arch::ioapic::program(
        gsi, {0, Trigger::Edge, polarity, false, static_cast<u8>(arch::lapic::id()), true});
    kernel::log::info("irq: GSI {} as NMI to APIC ID {} ({}, {}) for \"{}\"", gsi,
                      arch::lapic::id(), arch::apic::trigger_name(Trigger::Edge),
                      arch::apic::polarity_name(polarity), (*claimed)->name_view());
    return {};
}

Result<void, IrqError> remove(Handle handle) {
    const kernel::IrqSaveSpinlockGuard hold(arch::irq::g_api_lock);
    const Result<arch::irq::Line*, IrqError> found = arch::irq::line_of(handle);
    if (!found) return found.error();
    arch::irq::Line& line = **found;
    arch::ioapic::set_masked(line.gsi, true);
    // Unpublished, then no handler of it still running on any CPU, and
    // only then the slot freed for reuse (see dispatch_line).
    (void)arch::interrupt_table().remove(line.vector, line.entry);
    arch::irq::wait_for_handlers(line);
    arch::irq::g_lines.release(line);
    return {};
}

Result<void, IrqError> mask(Handle handle) {
    const Result<arch::irq::Line*, IrqError> found = arch::irq::line_of(handle);
    if (!found) return found.error();
    arch::ioapic::set_masked((*found)->gsi, true);
    __atomic_store_n(&(*found)->masked, true, __ATOMIC_RELAXED);
    return {};
}

Result<void, IrqError> unmask(Handle handle) {
    const Result<arch::irq::Line*, IrqError> found = arch::irq::line_of(handle);
    if (!found) return found.error();
    arch::irq::Line& line = **found;
    // The driver vouches that the device is quiet now: a stormed line gets
    // a fresh start.
    line.storm = arch::irq::StormDetector{};
    __atomic_store_n(&line.stormed, false, __ATOMIC_RELAXED);
    __atomic_store_n(&line.masked, false, __ATOMIC_RELAXED);
    arch::ioapic::set_masked(line.gsi, false);
    return {};
}

usize line_slots() { return arch::irq::LineTable::kMaxLines; }

bool line_info(usize slot, LineInfo& out) {
    if (slot >= arch::irq::LineTable::kMaxLines) return false;
    const arch::irq::Line* line = arch::irq::g_lines.find(static_cast<u16>(slot));
    if (line == nullptr) return false;
    out = arch::irq::info_of(*line);
    return true;
}

Result<LineInfo, IrqError> info(Handle handle) {
    const Result<arch::irq::Line*, IrqError> found = arch::irq::line_of(handle);
    if (!found) return found.error();
    return arch::irq::info_of(**found);
}

Counters counters() {
    return {__atomic_load_n(&arch::irq::g_unexpected, __ATOMIC_RELAXED),
            arch::lapic::spurious_count(), arch::pic::spurious_count(), arch::lapic::error_count(),
            __atomic_load_n(&arch::irq::g_storms, __ATOMIC_RELAXED)};
}

Result<void, IrqError> raise(Handle handle) {
    const Result<arch::irq::Line*, IrqError> found = arch::irq::line_of(handle);
    if (!found) return found.error();
    if (!arch::lapic::ready()) return IrqError::NotReady;
    arch::lapic::send_self_ipi((*found)->vector);
    return {};
}

}  // namespace kernel::irq
