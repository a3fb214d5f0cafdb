// The CPU exceptions' handler (exceptions.cpp) and the report for a vector
// without a handler.
#pragma once

#include "arch/x86_64/interrupts/frame.hpp"

namespace arch {

// Installs the exception handler on vectors 0-31 of interrupt_table();
// part of init_cpu_tables(). Panics if one is taken.
void install_exception_handlers();

// Panics with "Unhandled interrupt: vector N has no handler ..." and the
// register report of an exception: for interrupt_dispatch, when the
// handler table has nothing for the vector.
[[noreturn]] void report_unhandled_interrupt(const InterruptFrame& frame);

}  // namespace arch
