// What happens on a CPU exception: every vector is fatal for now (but for a
// self-test's armed memory probe, paging/kernel_space.hpp). One
// handler, installed on vectors 0-31 of the handler table, panics with a line naming the exception
// (and, for a page fault, the faulting address), then the panic prints this file's register report
// and a backtrace that starts at the faulting instruction.
//
// A kernel stack overflow runs into the unmapped guard page below the stack.
// The page fault cannot push its frame on the stack that faulted, so the CPU
// raises a double fault instead, which runs on its own IST stack and finds
// CR2 inside a guard page.
#include "arch/x86_64/interrupts/exceptions.hpp"
#include "arch/x86_64/paging/kernel_space.hpp"
#include "arch/x86_64/smp/nmi_ipi.hpp"
#include "arch/x86_64/watchdog/watchdog.hpp"

#include "arch/x86_64/apic/local_apic.hpp"
#include "arch/x86_64/bits.h"
#include "arch/x86_64/cpu.hpp"
#include "arch/x86_64/interrupts/exception_info.hpp"
#include "arch/x86_64/interrupts/frame.hpp"
#include "arch/x86_64/interrupts/interrupt_table.hpp"
#include "arch/x86_64/irq/irq.hpp"
#include "kernel/debug/debug.hpp"
#include "kernel/log/log.hpp"
#include "kernel/mm/kernel_stacks.hpp"
#include "kernel/panic/panic.hpp"

namespace arch {

namespace {

struct ExceptionReport {
    const InterruptFrame* frame;
    u64 cr0, cr2, cr3, cr4;
    bool interrupt = false;  // an interrupt on an exception's vector: no error code
};

// Which registered stack (or its guard page) holds `address`, for the
// report: "kernel stack", "guard page of the kernel stack"; nothing
// otherwise.
void describe_stack(u64 address, kfmt::Buffer<64>& out) {
    const kernel::mm::StackRegistry& stacks = kernel::mm::kernel_stacks();
    if (const kernel::mm::KernelStack* stack = stacks.stack_at(address))
        kfmt::format_to(out, "{}", label(*stack).view());
    else if (const kernel::mm::KernelStack* guarded = stacks.guard_at(address))
        kfmt::format_to(out, "guard page of the {}", label(*guarded).view());
}

// A page left unmapped below a registered stack: a fault there is that
// stack's overflow.
bool in_guard_page(u64 address) { return kernel::mm::kernel_stacks().guard_at(address) != nullptr; }

void print_registers(const void* data) {
    const auto& report = *static_cast<const ExceptionReport*>(data);
    const InterruptFrame& f = *report.frame;
    namespace log = kernel::log;

    ErrorText error;
    describe_error_code(f.vector, f.error_code, error);
    const ktl::string_view mnemonic = exception_mnemonic(f.vector);
    if (report.interrupt)
        log::info("  vector {} ({}'s), an interrupt: no error code", f.vector, mnemonic);
    else
        log::info("  vector {} ({}), error code {}", f.vector, mnemonic.empty() ? "-" : mnemonic,
                  error.view());
    if (f.vector == EXC_PAGE_FAULT || f.vector == EXC_DOUBLE_FAULT) {
        kfmt::Buffer<64> where;  // a stack, or else a kernel function
        describe_stack(report.cr2, where);
        kernel::debug::SymbolText function;
        const bool in_function =
            where.size() == 0 && kernel::debug::symbolize(report.cr2, function);
        log::info("  CR2 {:#018x} ({}{}{})", report.cr2,
                  f.vector == EXC_PAGE_FAULT ? "the faulting address" : "the last page fault",
                  where.size() != 0 ? ", "
                  : in_function     ? ", in "
                                    : "",
                  where.size() != 0 ? where.view()
                  : in_function     ? function.view()
                                    : "");
    }
    kernel::debug::SymbolText symbol;
    kernel::debug::symbolize(f.rip, symbol);
    log::info("  RIP {:#018x}  {}", f.rip, symbol.view());
    if (f.vector == EXC_DOUBLE_FAULT)
        log::info("  (a double fault's saved RIP and RSP may not be those of the first fault)");
    kfmt::Buffer<64> stack;
    describe_stack(f.rsp, stack);
    ErrorText flags;
    describe_rflags(f.rflags, flags);
    log::info("  RSP {:#018x}{}{}{}", f.rsp, stack.size() != 0 ? " (" : "", stack.view(),
              stack.size() != 0 ? ")" : "");
    log::info("  RFLAGS {:#018x} [{}]  CS {:#06x}  SS {:#06x}", f.rflags, flags.view(), f.cs, f.ss);
    log::info("  RAX {:#018x}  RBX {:#018x}  RCX {:#018x}", f.rax, f.rbx, f.rcx);
    log::info("  RDX {:#018x}  RSI {:#018x}  RDI {:#018x}", f.rdx, f.rsi, f.rdi);
    log::info("  RBP {:#018x}  R8  {:#018x}  R9  {:#018x}", f.rbp, f.r8, f.r9);
    log::info("  R10 {:#018x}  R11 {:#018x}  R12 {:#018x}", f.r10, f.r11, f.r12);
    log::info("  R13 {:#018x}  R14 {:#018x}  R15 {:#018x}", f.r13, f.r14, f.r15);
    log::info("  CR0 {:#018x}  CR3 {:#018x}  CR4 {:#018x}", report.cr0, report.cr3, report.cr4);
}

// The report a panic from `frame` prints after its PANIC line (registers,
// control registers, the backtrace from the frame): armed for the next
// panic while this object lives. CR2 is read first, before anything here
// can fault. Not copyable: the context points at the report beside it.
struct ArmedReport {
    explicit ArmedReport(const InterruptFrame& frame, bool interrupt = false)
        : report{&frame, read_cr0(), read_cr2(), read_cr3(), read_cr4(), interrupt},
          context{print_registers, &report, frame.rip, frame.rbp, frame.rsp} {
        kernel::debug::set_panic_context(&context);
    }
    ArmedReport(const ArmedReport&) = delete;
    ArmedReport(ArmedReport&&) = delete;
    ArmedReport& operator=(const ArmedReport&) = delete;
    ArmedReport& operator=(ArmedReport&&) = delete;
    ~ArmedReport() = default;

    const ExceptionReport report;
    const kernel::debug::PanicContext context;
};

template <typename... Args>
[[noreturn]] void fail(kfmt::format_string<ktl::type_identity_t<Args>...> fmt,
                       const Args&... args) {
    kfmt::Buffer<256> message;
    kfmt::format_to(message, fmt, args...);
    irq::describe_running_handler(message);
    // No source location: the report says where the fault was.
    kernel::panic_message(message.view(), {nullptr, 0, nullptr});
}

// Not an exception but an interrupt on an exception's vector: a device, an
// I/O APIC entry or an interrupt message given that vector (a hostile MADT
// placing an I/O APIC on the local APIC made QEMU take its register writes
// for messages). The local APIC's in-service bit tells them apart:
// exceptions set none. Without an error code, the frame is whole: counted,
// acknowledged, resumed. An error-code vector's frame is one word off (the
// CPU pushed none, the stub expected one): it cannot be resumed, and the
// report reads it one word down, so its registers and backtrace are true.
void handle_interrupt_on_exception_vector(InterruptFrame& saved) {
    if (!exception_has_error_code(saved.vector)) {
        irq::handle_unexpected_vector(saved, "an interrupt on an exception's vector");
        return;
    }
    InterruptFrame frame = saved;
    frame.error_code = 0;
    frame.rip = saved.error_code;
    frame.cs = saved.rip;
    frame.rflags = saved.cs;
    frame.rsp = saved.rflags;
    frame.ss = saved.rsp;
    const ArmedReport armed(frame, true);
    kernel::debug::SymbolText symbol;
    kernel::debug::symbolize(frame.rip, symbol);
    fail(
        "an interrupt arrived on vector {}, the {} exception's, at {:#018x} {}: a device, an I/O "
        "APIC entry or an interrupt message was given that vector",
        saved.vector, exception_mnemonic(saved.vector), frame.rip, symbol.view());
}

// Whether an interrupt could have brought this exception vector: the local
// APIC delivers 16 and up (it refuses 0-15 as illegal vectors, SDM Vol. 3A,
// 11.5.3), and a machine check (18) is always taken as one, never swallowed.
// The other exceptions (#PF, #GP, #DF) never look at the local APIC, which
// on a CPU still starting may not be set up.
constexpr bool deliverable_as_interrupt(u64 vector) {
    return vector >= 16 && vector != EXC_MACHINE_CHECK;
}

// Installed on vectors 0-31 with the frame interrupt_dispatch saw.
void handle_exception(InterruptFrame& saved, void* /*context*/) {
    // Another CPU's TLB shootdown or stop request, the watchdog's (they
    // touch no CR2). All are looked at: NMIs that arrive together merge.
    if (saved.vector == EXC_NMI) {
        const bool sent = smp::take_sent_nmi();
        const bool requested = smp::handle_nmi_request();
        // The watchdog's HPET NMI is only looked for in an NMI no CPU sent
        // (watchdog.hpp says why).
        if (watchdog::handle_nmi(saved, !sent && !requested) || sent || requested) return;
    }
    const InterruptFrame* frame = &saved;
    // CR2 first: any page fault from here on would overwrite it.
    const ArmedReport armed(*frame);
    const ExceptionReport& report = armed.report;

    const u64 vector = frame->vector;
    if (deliverable_as_interrupt(vector) && lapic::in_service(static_cast<u8>(vector))) {
        kernel::debug::set_panic_context(nullptr);
        handle_interrupt_on_exception_vector(saved);
        return;
    }
    // A self-test's probe that was meant to fault resumes (kernel_space.hpp).
    if (vector == EXC_PAGE_FAULT &&
        paging::recover_probe_fault(saved.rip, saved.error_code, report.cr2)) {
        kernel::debug::set_panic_context(nullptr);
        return;
    }
    const ktl::string_view name = exception_name(vector);
    if ((vector == EXC_PAGE_FAULT || vector == EXC_DOUBLE_FAULT) && in_guard_page(report.cr2))
        fail("{}: kernel stack overflow (guard page hit at {:#018x})", name, report.cr2);
    if (vector == EXC_PAGE_FAULT) {
        ErrorText what;
        describe_page_fault(frame->error_code, what);
        fail("Page Fault at {:#018x} ({})", report.cr2, what.view());
    }

    kernel::debug::SymbolText symbol;
    kernel::debug::symbolize(frame->rip, symbol);
    kfmt::Buffer<64> tag;  // "#GP, vector 13, error code 0x0"
    const ktl::string_view mnemonic = exception_mnemonic(vector);
    if (!mnemonic.empty() && !(mnemonic == name)) kfmt::format_to(tag, "{}, ", mnemonic);
    kfmt::format_to(tag, "vector {}", vector);
    if (exception_has_error_code(vector))
        kfmt::format_to(tag, ", error code {:#x}", frame->error_code);
    fail("{} ({}) at {:#018x} {}", name, tag.view(), frame->rip, symbol.view());
}

const InterruptHandler kExceptionHandler{"CPU exception", handle_exception, nullptr};

}  // namespace

void install_exception_handlers() {
    for (u8 vector = 0; vector < EXC_COUNT; ++vector) {
        const Result<void, VectorError> installed =
            interrupt_table().install(vector, kExceptionHandler);
        if (!installed)
            kernel::panic("interrupts: cannot install the exception handler on vector {}: {}",
                          vector, describe(installed.error()));
    }
}

void panic_at_frame(const InterruptFrame& frame, ktl::string_view message) {
    const ArmedReport armed(frame);
    kernel::panic_message(message, {nullptr, 0, nullptr});
}

void report_unhandled_interrupt(const InterruptFrame& frame) {
    const ArmedReport armed(frame);
    kernel::debug::SymbolText symbol;
    kernel::debug::symbolize(frame.rip, symbol);
    fail("Unhandled interrupt: vector {} has no handler ({} unhandled so far) at {:#018x} {}",
         frame.vector, interrupt_table().unhandled(), frame.rip, symbol.view());
}

}  // namespace arch
