#include "kernel/panic/panic.hpp"

#include "arch/x86_64/cpu.hpp"
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
    log::info("");
    log::info("PANIC: {}", message);
    log::info("  at {}:{} in {}", where.file, where.line, where.function);
    log::info("System halted.");
    arch::halt_forever();
}

}  // namespace kernel
