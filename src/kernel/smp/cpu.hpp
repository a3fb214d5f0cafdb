// Per-CPU data: one Cpu block per CPU, found through the GS base
// (arch::cpu_local(), this_cpu()). Its owner is its CPU: the counters are
// written only there, without a lock (others read snapshots); the mailbox
// is shared and has its own protocol (call.hpp). Design: docs/smp.md.
#pragma once

#include "arch/arch.hpp"
#include "kernel/smp/place.hpp"
#include "kernel/sync/spinlock.hpp"
#include "lib/ktl/types.hpp"

namespace kernel::smp {

// Every CPU's mailbox lock is one class for the lock-order check
// (kernel/sync/lock_class.hpp).
inline constinit LockClass g_mailbox_locks{"smp mailbox"};

struct Cpu {
    Cpu* self = nullptr;  // first: arch::cpu_local() reads it through GS
    u32 index = 0;        // 0 = the boot CPU, then in the order the CPUs started
    u32 apic_id = 0;

    // CPU-local counters: written by this CPU only.
    u64 calls_run = 0;  // cross-CPU calls this CPU ran
    u64 wakeups = 0;    // times its idle loop woke up
    // Interrupt handlers running on this CPU now, nested (enter_interrupt).
    u32 interrupt_depth = 0;

    // The mailbox (call.cpp): one call at a time, posters serialised by
    // post_lock (of g_mailbox_locks, given when the block is made: a
    // per-CPU variable starts as zero bytes); `posted` and `done` count
    // calls.
    Spinlock post_lock;
    void (*call)(void*) = nullptr;
    void* call_arg = nullptr;
    u32 posted = 0;
    u32 done = 0;
    // Written by this CPU only: true while it runs the call in its mailbox
    // (which may itself wait for another CPU and run calls meanwhile:
    // never the same one again).
    bool running_call = false;
    // Set by this CPU while it polls its mailbox, read by posters: no
    // wake-up IPI is needed then (call.cpp).
    bool polling = false;
};

// This CPU's block (after init_boot_cpu on the boot CPU, from its first
// instruction in the kernel on the others).
[[nodiscard]] inline Cpu& this_cpu() { return *static_cast<Cpu*>(arch::cpu_local()); }

// Makes block 0 the boot CPU's (`apic_id`) and points its GS base there.
void init_boot_cpu(u32 apic_id);
// The next block, for a CPU about to be started; null when every CPU with
// a per-CPU area (kernel/smp/per_cpu.hpp) has one. Made online by the CPU
// itself (mark_online) once it runs.
[[nodiscard]] Cpu* reserve_cpu(u32 apic_id);
// Called on the CPU: points its GS base at `cpu` and counts it online.
void mark_online(Cpu& cpu);
// Gives back a block reserved for a CPU that never came online.
void release_cpu(Cpu& cpu);

// This CPU's index: 0 until the boot CPU's block exists (one CPU runs
// then), this_cpu().index after. Safe from anywhere: an AP's GS base points
// at its block from its first instruction in the kernel (arch::start_cpu).
[[nodiscard]] u32 current_index();

// Interrupt context: the entry path (the arch's interrupt dispatch) calls
// enter_interrupt() before a device interrupt's, an IPI's, an NMI's or a
// machine check's handler runs and leave_interrupt() after, so
// current_place().in_interrupt (kernel/smp/place.hpp) is true on this CPU
// while any of them runs, nested or not.
// Synchronous exceptions (page faults, #GP, ...) do not count: they run on
// behalf of the instruction that raised them, which disabling interrupts
// does not hold off, so for the lock rules (kernel/sync/spinlock.hpp) they
// are the interrupted code's own context. Before the boot CPU's block exists
// one CPU runs and a counter of its own stands in for the block's.
void enter_interrupt();
void leave_interrupt();

// CPUs online: their blocks are indices 0 to online_count() - 1.
[[nodiscard]] u32 online_count();
[[nodiscard]] Cpu& cpu(u32 index);

}  // namespace kernel::smp
