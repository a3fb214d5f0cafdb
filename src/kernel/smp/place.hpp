// Where the running code is: this CPU's index and whether an interrupt
// handler runs on it, in one call, for the debug lock, which asks on every
// use (kernel/sync/spinlock.hpp). Apart from cpu.hpp because cpu.hpp
// includes the spinlock; this includes nothing of the kernel.
#pragma once

#include "lib/ktl/types.hpp"

namespace kernel::smp {

struct Place {
    u32 cpu;            // current_index()
    bool in_interrupt;  // an interrupt's handler runs (enter_interrupt, cpu.hpp)
};
[[nodiscard]] Place current_place();

}  // namespace kernel::smp
