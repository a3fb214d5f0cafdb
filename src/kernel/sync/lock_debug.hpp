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
// Two mistakes are reported at once instead, before any wait:
//   - a lock both waited for by an interrupt handler and taken with
//     interrupts on (irq_usage.hpp): the deadlock that has not happened yet;
//   - a CPU calling lock() on a lock it holds: the deadlock that has.
// The words are in lock_reports.hpp; docs/interrupts.md, "Locking".
#pragma once

#include "arch/arch.hpp"
#include "kernel/smp/place.hpp"
#include "kernel/sync/irq_usage.hpp"
#include "lib/ktl/types.hpp"

namespace kernel::lock_debug {

inline constexpr u64 kLockHeldTooLongUs = 5'000'000;
// Before the clock runs (one CPU, early boot): a spin count instead, seconds
// on any CPU or emulator.
inline constexpr u64 kSpinsWithoutClock = u64{1} << 30;

// The immediate reports (lock_reports.hpp has their words): `usage` has
// both sites; `site` is a lock() by `cpu`, which holds the lock from
// `holder_site`.
[[noreturn]] void report_irq_unsafe(const void* lock, const IrqUsage& usage);
[[noreturn]] void report_recursion(const void* lock, u32 cpu, const void* site,
                                   const void* holder_site);

[[noreturn]] void report_held_too_long(const void* lock, u32 holder_cpu, const void* holder_site,
                                       const void* waiting_site);

// One wait for a lock. The clock is read once every kCheckEvery spins, so
// a short wait costs nothing but a counter.
class Wait {
public:
    [[nodiscard]] bool too_long() {
        if ((++spins_ & (kCheckEvery - 1)) != 0) return false;
        const u64 now = arch::microseconds_since_boot();
        if (now == 0) return spins_ >= kSpinsWithoutClock;
        if (start_us_ == 0) start_us_ = now;
        return now - start_us_ > kLockHeldTooLongUs;
    }

private:
    static constexpr u64 kCheckEvery = 1024;
    u64 spins_ = 0;
    u64 start_us_ = 0;
};

}  // namespace kernel::lock_debug
