// The debug build's watch on kernel::Spinlock (KEEL_DEBUG_LOCKS): a CPU
// that waits for a lock longer than kLockHeldTooLongUs panics, naming the
// lock, the CPU that holds it and the site that took it, and its own site:
//
//   lock 0xffffffff80123450 held too long by CPU 1 at f()+0x1c; CPU 0 waiting at g()+0x2a
//
// A hang with every CPU spinning says nothing; this says who to look at.
// The bound is long enough for any legitimate hold (the longest: a log line
// or a cross-CPU call on a host that keeps a vCPU waiting), short of the
// boot tests' timeouts. Design: docs/smp.md, "Locks".
//
// Three mistakes are reported at once instead, before any wait:
//   - a lock both waited for by an interrupt handler and taken with
//     interrupts on (irq_usage.hpp): the deadlock that has not happened yet;
//   - a CPU calling lock() on a lock it holds: the deadlock that has;
//   - two locks taken in both orders (lock_order.hpp): the deadlock two
//     CPUs meet when their timing does.
// And one after: unlock() by a CPU that does not hold the lock.
// The words are in lock_reports.hpp; docs/interrupts.md, "Locking".
#pragma once

#include "arch/arch.hpp"
#include "kernel/smp/per_cpu.hpp"
#include "kernel/smp/place.hpp"
#include "kernel/sync/irq_usage.hpp"
#include "kernel/sync/lock_order.hpp"
#include "kernel/sync/lock_reports.hpp"
#include "kernel/sync/lock_wait.hpp"
#include "lib/ktl/types.hpp"

namespace kernel::lock_debug {

// Every lock panic: `problem` with the lock (and for an order, the other
// lock) and the sites in lock_reports.hpp's NamedReport order, symbolized
// here; the words are lock_reports.cpp's. Null sites are named as such.
struct LockReport {
    LockProblem problem = LockProblem::Order;
    const void* lock = nullptr;
    const void* other = nullptr;
    const void* site[4] = {};
    u32 cpu = 0;
    u32 other_cpu = 0;
    u32 through = 0;
    // Order, SameClass: the subclasses `lock` and `other` were taken with.
    u8 subclass[2] = {};
};
[[noreturn]] void report(const LockReport& report);
// A class's name as the reports give it: a named class's name (with
// "/n" for a subclass), else the lock's symbol or address.
void write_class(kfmt::Sink& out, const ClassName& name);

// The lock-order check (lock_order.hpp; lock_order_check.cpp holds the
// table). Each CPU's held locks, indexed by CPU; written by that CPU only.
// Per CPU (the boot CPU's static: locks are taken from the first line on).
extern smp::PerCpu<HeldLocks> g_held_locks;
// Before `cpu` waits for `lock` (as `subclass` of its class) holding
// others: panics when the order inverts one recorded, or when a held lock
// is of the same class.
void check_order_held(const void* lock, u32 cpu, const void* site, u32 subclass);
// The inline halves are what every lock() pays (a call is what costs most
// under emulation): nothing held, nothing to check.
inline void check_order(const void* lock, u32 cpu, const void* site, u32 subclass) {
    if (g_held_locks[cpu].depth() != 0) check_order_held(lock, cpu, site, subclass);
}
// Once it is taken (by lock() or a try_lock() that succeeded).
inline void held(const void* lock, u32 cpu, const void* site, bool tried, u32 subclass) {
    g_held_locks[cpu].push(lock, site, tried, subclass);
}
// Before the lock is released: pops it from this CPU's held locks; panics
// when this CPU does not hold it, naming the caller of unlock() (its
// return address, read here: unlock() is inlined).
[[gnu::noinline]] void released(const void* lock);
// Off: check_order returns at once (the held locks are still kept), for
// bench=smp to compare. On at boot.
void set_order_checking(bool on);
[[nodiscard]] OrderStats order_stats();

}  // namespace kernel::lock_debug
