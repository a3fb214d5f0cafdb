// What the crash tests' files share (crash.cpp holds the table; one file
// per family of cases, e.g. lock_crashes.cpp). Not for the rest of the
// kernel: kernel/crash/crash.hpp is the interface.
#pragma once

#include "kernel/irq/irq.hpp"

namespace kernel::crash {

// Runs `handler` on an interrupt line of its own (the highest free GSI),
// made to fire by a self-IPI.
void raise_own_line(irq::Handler handler);
// Whether a second CPU is online; if not, says that `name` needs one.
[[nodiscard]] bool second_cpu(const char* name);

// The debug lock's crash tests (lock_crashes.cpp): each needs a kernel
// built with KEEL_DEBUG_LOCKS and says so in one without.
void lock_held();
void lock_held_guard();
void irq_unsafe_lock();
void irq_unsafe_class();
void lock_recursion();
void lock_order();
void lock_class_order();
void lock_class_nested();

}  // namespace kernel::crash
