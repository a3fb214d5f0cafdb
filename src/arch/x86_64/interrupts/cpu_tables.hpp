// The boot CPU's descriptor tables: the GDT (with a 64-bit TSS whose
// Interrupt Stack Table gives double fault, NMI and machine check their own
// stacks) and the IDT (with all 32 exception vectors handled; see
// exceptions.cpp). Loaded by init_cpu_tables() early in kernel_main; from
// then on any CPU exception prints a full report and halts.
#pragma once

#include "arch/setup.hpp"
#include "lib/ktl/span.hpp"
#include "lib/ktl/types.hpp"

namespace arch {

// init_cpu_tables() (arch/setup.hpp) loads the GDT (reloading every segment
// register) and the TSS, then the IDT, and registers the kernel and IST
// stacks for backtraces.

// A stack with its guard page: [guard, guard + 4 KiB) must stay unmapped,
// [base, top) is the stack.
struct KernelStack {
    const char* name;
    u64 guard;
    u64 base;
    u64 top;
};
// The boot stack (boot64.S) and the IST stacks. The page tables must leave
// each guard page unmapped (so an overflow faults instead of corrupting
// memory below).
[[nodiscard]] ktl::span<const KernelStack> kernel_stacks();

// Loads the IDT with the exception gates; part of init_cpu_tables().
void init_idt();

// Installs an interrupt gate (IF cleared on entry) for `vector`, on IST
// stack `ist` (0: the current stack). For the interrupt controllers' code.
void set_interrupt_gate(u8 vector, void (*entry)(), u8 ist = 0);

}  // namespace arch
