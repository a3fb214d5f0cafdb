// A lock class: what the lock-order check (lock_order.hpp) keys its orders
// by, so that an order seen between one CPU's lock of a kind and another
// kind holds for every lock of those kinds. With a run-queue lock per CPU
// and a lock per disk, CPU 0's queue then disk 0, and later disk 1 then
// CPU 1's queue, is the inversion that deadlocks when two CPUs run the
// same code with one disk, although no two instances met both ways.
//
// A class is a static object, named, given to the locks of its kind at
// construction:
//
//   constinit kernel::LockClass g_chip_locks{"I/O APIC"};
//   struct Chip { kernel::Spinlock lock{g_chip_locks}; };
//
// A Spinlock built without one is its own class (a static lock is the only
// one of its kind, as lockdep keys a static lock by its address), and
// reports name it by its address. So every lock declared before classes
// existed keeps its meaning unchanged, and a kind with one lock needs none.
//
// The interrupt rule (irq_usage.hpp) is kept per class too: a handler that
// waits for one lock of a kind and code that takes another of that kind
// with interrupts on break it together.
//
// Two locks of one class held together are refused (docs/interrupts.md,
// "Lock order"): the check cannot tell CPU 0's then CPU 1's from CPU 1's
// then CPU 0's. Code that nests them in an order of its own (by address,
// parent before child) says so by taking the inner one with
// Spinlock::lock_nested(subclass): each subclass is a class of its own for
// the order check.
//
// The node numbers are the order table's, written under its lock and read
// without one; zero until the class first takes part in an order. No
// allocation, no registration: the class is its own storage.
#pragma once

#include "kernel/sync/irq_usage.hpp"
#include "lib/ktl/types.hpp"

namespace kernel {

class LockClass {
public:
    // Subclasses 0 (lock()) to kSubclasses - 1 (lock_nested). The held-lock
    // stack keeps the subclass in the low bits of the lock's address
    // (held_locks.hpp), which bounds it.
    static constexpr u32 kSubclasses = 4;

    constexpr explicit LockClass(const char* name) : name_(name) {}
    LockClass(const LockClass&) = delete;
    LockClass& operator=(const LockClass&) = delete;
    ~LockClass() = default;

    [[nodiscard]] const char* name() const { return name_; }
    // Where the order table keeps this class's node for `subclass`.
    [[nodiscard]] u32* node(u32 subclass) { return &nodes_[subclass]; }
    // How the class's locks have been used, all of them together, for the
    // interrupt rule (irq_usage.hpp): a handler waiting for one lock of a
    // kind while code takes another of that kind with interrupts on is
    // reported as soon as both have happened, as lockdep keys the rule by
    // class. The locks of a kind run the same code, so the instance the
    // two uses met on is an accident of timing.
    [[nodiscard]] lock_debug::IrqUsage& irq_usage() { return irq_usage_; }

private:
    const char* name_;
    u32 nodes_[kSubclasses] = {};
    lock_debug::IrqUsage irq_usage_;
};

// Spinlock::lock_nested's argument: a subclass from 1 to
// LockClass::kSubclasses - 1, checked where the call is compiled. Any other
// number is a build error ("call to non-constexpr function"), not a
// subclass quietly taken as 0 and then refused as a nested class at run
// time.
void lock_subclass_out_of_range();  // never defined: only named in the error
struct LockSubclass {
    // NOLINTNEXTLINE(google-explicit-constructor): lock_nested(1) reads best
    consteval LockSubclass(u32 subclass) : value(subclass) {
        if (subclass == 0 || subclass >= LockClass::kSubclasses) lock_subclass_out_of_range();
    }
    u32 value;
};

}  // namespace kernel
