// The CPU exceptions' handler (exceptions.cpp) and the report for a vector
// without a handler.
#pragma once

#include "arch/x86_64/interrupts/frame.hpp"
#include "lib/ktl/string_view.hpp"

namespace arch {

// Installs the exception handler on vectors 0-31 of interrupt_table();
// part of init_cpu_tables(). Panics if one is taken.
void install_exception_handlers();

// Panics with "Unhandled interrupt: vector N has no handler ..." and the
// register report of an exception: for interrupt_dispatch, when the
// handler table has nothing for the vector.
[[noreturn]] void report_unhandled_interrupt(const InterruptFrame& frame);

// Panics with `message` and the register report and backtrace of the code
// `frame` interrupted: for an NMI that finds that code at fault (the
// hard-lockup watchdog).
[[noreturn]] void panic_at_frame(const InterruptFrame& frame, ktl::string_view message);

}  // namespace arch
