// Cross-CPU calls: run a function on another CPU, or on every CPU, and
// wait until it has run. Each CPU's mailbox (Cpu::call) takes one call at a
// time, and an IPI (arch::wake_cpu) tells the target. An application
// processor runs it from its idle loop. The boot CPU has no idle loop: it
// runs the call in the wake-up interrupt's handler, as soon as it has
// interrupts on, so a call to it follows the handler rules (it takes only
// locks held with interrupts off: docs/interrupts.md, "Locking"). A target
// that does not answer in kCallTimeoutUs is a panic naming it, never a
// silent hang; a caller that waits with interrupts off for a CPU that waits
// for it is that case.
#pragma once

#include "kernel/smp/cpu.hpp"

namespace kernel::smp {

inline constexpr u64 kCallTimeoutUs = 5'000'000;

// Runs fn(arg) on CPU `index` (any online CPU but the caller) and returns
// when it has. Callable with interrupts on or off.
void call_on(u32 index, void (*fn)(void*), void* arg);
// Runs fn(arg) on every online CPU at the same time, the caller taking its
// own share; returns when all have.
void call_on_all(void (*fn)(void*), void* arg);
// Runs fn(arg) on CPU `index` and on the caller at the same time: a
// two-CPU exchange that leaves the other CPUs asleep (under QEMU's TCG
// waking every CPU for each pair made the TSC check of 255 CPUs take a
// minute). Returns when both have.
void call_with(u32 index, void (*fn)(void*), void* arg);

// Runs the call posted to this CPU, if any; true when it ran one. The idle
// loop's, and the wake-up interrupt handler's (arch).
bool run_posted_call();
// From inside a call that will never return (a crash test's hang): tells
// its caller the call has run, so call_on returns there.
void release_caller();

// An application processor's life once started: marks it online, then
// runs the calls posted to it, halting in between. `block` is its Cpu.
[[noreturn]] void ap_main(void* block);

}  // namespace kernel::smp
