// The boot CPU's descriptor tables: the GDT (with a 64-bit TSS whose
// Interrupt Stack Table gives double fault, NMI and machine check their own
// stacks) and the IDT (all 256 vectors into entry.S's stubs, dispatched
// through the handler table, interrupt_table.hpp). Loaded by
// init_cpu_tables() early in kernel_main; from then on any CPU exception
// prints a full report and halts.
#pragma once

#include "arch/setup.hpp"
#include "lib/ktl/types.hpp"
#include "lib/result.hpp"
#include "lib/vm.hpp"

namespace arch {

// init_cpu_tables() (arch/setup.hpp) registers the boot stack and the IST
// stacks (kernel/mm/kernel_stacks.hpp), loads the GDT (reloading every
// segment register) and the TSS, installs the exception handlers and loads
// the IDT.

// Loads the IDT with a gate for every vector; part of init_cpu_tables().
void init_idt();
// Loads the IDT init_idt() filled (shared by every CPU) on this CPU.
void load_idt();

// Application processor `index` (1 to kMaxCpus - 1): its kernel stack and
// IST stacks from the kernel stack area (stack_area.hpp), each with an
// unmapped guard page and registered by name. Runs on the boot CPU before
// the AP starts; allocates only what an earlier call did not (a CPU that
// failed to start keeps its stacks for the next attempt). NotReady or
// OutOfMemory when a stack cannot be had.
[[nodiscard]] Result<void, VmError> allocate_ap_stacks(u32 index);
// Loads AP `index`'s own GDT and TSS (pointing at the IST stacks above) and
// the shared IDT. Runs on that CPU, on its kernel stack.
void init_ap_cpu_tables(u32 index);
// The top of AP `index`'s kernel stack (allocate_ap_stacks).
[[nodiscard]] u64 ap_kernel_stack_top(u32 index);

}  // namespace arch
