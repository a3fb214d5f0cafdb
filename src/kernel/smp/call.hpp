// Cross-CPU calls: run a function on another CPU, or on every CPU, and
// wait until it has run. Each CPU's mailbox (Cpu::call) takes one call at a
// time; the target's idle loop runs it, woken by an IPI (arch::wake_cpu).
// The boot CPU has no idle loop yet, so it is never a target: calls run on
// the application processors, and call_on_all runs the caller's share
// itself. A target that does not answer in kCallTimeoutUs is a panic
// naming it, never a silent hang.
#pragma once

#include "kernel/smp/cpu.hpp"

namespace kernel::smp {

inline constexpr u64 kCallTimeoutUs = 5'000'000;

// Runs fn(arg) on CPU `index` (an application processor, not the caller)
// and returns when it has. Callable with interrupts on or off.
void call_on(u32 index, void (*fn)(void*), void* arg);
// Runs fn(arg) on every online CPU at the same time, the boot CPU (the
// only caller allowed) taking its own share; returns when all have.
void call_on_all(void (*fn)(void*), void* arg);

// An application processor's life once started: marks it online, then
// runs the calls posted to it, halting in between. `block` is its Cpu.
[[noreturn]] void ap_main(void* block);

}  // namespace kernel::smp
