#include "kernel/panic/panic.hpp"

#include "arch/arch.hpp"
#include "kernel/debug/debug.hpp"
#include "kernel/log/log.hpp"

namespace kernel {

namespace {
bool g_panicking = false;
}

void panic_message(ktl::string_view message, SourceLocation where) {
    arch::disable_interrupts();
    if (g_panicking) {
        // A panic while panicking: say the least that can still work.
        log::write("\nPANIC (nested): ");
        log::write(message);
        log::write("\n");
        arch::halt_forever();
    }
    g_panicking = true;
    log::begin_panic();
    if (log::level() > log::Level::Info)
        log::set_level(log::Level::Info);  // never filter the report
    log::info("");
    log::info("PANIC: {}", message);
    // A null file: the caller (an exception handler) reports the place itself.
    if (where.file != nullptr)
        log::info("  at {}:{} in {}", where.file, where.line, where.function);
    debug::print_panic_report();  // details from the caller, then a backtrace
    log::info("System halted.");
    arch::halt_forever();
}

}  // namespace kernel
