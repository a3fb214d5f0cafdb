// The kernel's stacks, in one registry: each with its name, its range and
// the guard page below it. Whoever creates a stack registers it (arch: the
// boot stack and the IST stacks, later each CPU's and each thread's); three
// parts of the kernel read it:
//   - the page tables leave every guard page unmapped (arch paging), so an
//     overflow faults instead of overwriting what lies below;
//   - the page-fault and double-fault handlers name the stack a faulting
//     address is on, and call a fault in a guard page a stack overflow;
//   - the backtrace walker reads frame records only inside these stacks.
//
// Registration is serialised by a lock; reading takes none, because the
// readers run in fault handlers and panics, which must not wait for a lock
// the faulting code may hold. That works because the registry only grows:
// an entry is complete before the count that makes it visible is published
// (release), and never changes afterwards. Stacks that can go away (thread
// stacks) will need removal with a grace period; nothing frees one yet.
//
// Its storage grows too: the first entries (the boot CPU's stacks, before
// any heap) are inside the registry; grow() moves them into larger storage
// its caller allocated, copying every entry before the new storage is
// published, so a reader that took the old storage still reads whole
// entries. Old storage is never given back (a reader may still hold it).
//
// Hardware-independent: host-tested in tests/host/kernel_stacks_test.cpp.
#pragma once

#include "kernel/debug/backtrace.hpp"
#include "kernel/sync/spinlock.hpp"
#include "lib/format/format.hpp"
#include "lib/ktl/span.hpp"
#include "lib/ktl/string_view.hpp"
#include "lib/ktl/types.hpp"
#include "lib/result.hpp"
#include "lib/units.hpp"

namespace kernel::mm {

inline constexpr u64 kStackGuardSize = kPageSize;  // one page

struct KernelStack {
    const char* name;  // what it is for: "kernel stack", "double-fault IST"
    u64 base;          // [base, top): the stack
    u64 top;
    u64 guard;    // [guard, guard + kStackGuardSize) stays unmapped; 0: no guard
    u32 cpu = 0;  // the CPU (its index) whose stack it is; 0: the boot CPU's

    // The top counts: an empty stack's RSP is its top.
    [[nodiscard]] constexpr bool contains(u64 address) const {
        return address >= base && address <= top;
    }
    [[nodiscard]] constexpr bool in_guard(u64 address) const {
        return guard != 0 && address >= guard && address - guard < kStackGuardSize;
    }
};

// How reports name a stack: "kernel stack" for the boot CPU's, "CPU 12
// kernel stack" for another's. One generic name per kind of stack rather
// than a string per CPU and kind: the name is the same for any number of
// CPUs. The boot CPU's stay bare, as on a one-CPU machine, where the
// number would only be noise.
struct StackLabel {
    char text[48]{};  // "CPU 4294967295 machine-check IST" fits
    usize size = 0;
    [[nodiscard]] ktl::string_view view() const { return {text, size}; }
};
[[nodiscard]] StackLabel label(const KernelStack& stack);

enum class StackError : u8 {
    Empty,               // base >= top
    GuardMisaligned,     // the guard is not page aligned
    GuardOverlapsStack,  // the guard page overlaps the stack itself
    Overlaps,            // the stack or its guard overlaps a registered stack
    Full,                // capacity() stacks are registered: grow() first
};
[[nodiscard]] ktl::string_view describe(StackError error);

class StackRegistry {
public:
    // Room inside the registry: the boot CPU's kernel stack and 3 IST
    // stacks, and three more CPUs' before any storage is added (the stacks
    // of the CPUs there are come with grow(): memory only for them).
    static constexpr usize kInitialCapacity = 16;

    constexpr StackRegistry() = default;
    StackRegistry(const StackRegistry&) = delete;
    StackRegistry& operator=(const StackRegistry&) = delete;
    ~StackRegistry() = default;

    // Registering the very same stack again is a no-op that succeeds.
    [[nodiscard]] Result<void, StackError> add(const KernelStack& stack);

    // Stacks that fit before the next grow().
    [[nodiscard]] usize capacity() const { return __atomic_load_n(&capacity_, __ATOMIC_ACQUIRE); }
    // Moves the entries into `stacks` and `ranges` (room for `capacity`
    // each, which the registry keeps for good); false, and nothing
    // changes, unless `capacity` is above capacity().
    [[nodiscard]] bool grow(KernelStack* stacks, debug::StackRange* ranges, usize capacity);

    // Lock-free readers (see the top of this file). The count is read
    // before the storage: an entry it counts is in any storage published
    // since.
    [[nodiscard]] usize size() const { return __atomic_load_n(&count_, __ATOMIC_ACQUIRE); }
    [[nodiscard]] const KernelStack& operator[](usize i) const { return stored()[i]; }
    [[nodiscard]] ktl::span<const KernelStack> stacks() const {
        const usize n = size();
        return {stored(), n};
    }
    // The same stacks as the backtrace walker takes them.
    [[nodiscard]] ktl::span<const debug::StackRange> ranges() const {
        const usize n = size();
        return {__atomic_load_n(&ranges_, __ATOMIC_ACQUIRE), n};
    }
    // The stack holding `address` (see contains), or null.
    [[nodiscard]] const KernelStack* stack_at(u64 address) const;
    // The stack whose guard page holds `address`, or null: a fault there is
    // that stack's overflow.
    [[nodiscard]] const KernelStack* guard_at(u64 address) const;
    [[nodiscard]] usize guard_count() const;

private:
    [[nodiscard]] const KernelStack* stored() const {
        return __atomic_load_n(&stacks_, __ATOMIC_ACQUIRE);
    }

    Spinlock lock_;  // writers only
    KernelStack initial_stacks_[kInitialCapacity]{};
    debug::StackRange initial_ranges_[kInitialCapacity]{};
    // The storage in use: the initial arrays, then what grow() was given.
    KernelStack* stacks_ = initial_stacks_;
    debug::StackRange* ranges_ = initial_ranges_;
    usize capacity_ = kInitialCapacity;
    usize count_ = 0;
};

// The kernel's one registry.
[[nodiscard]] StackRegistry& kernel_stacks();

}  // namespace kernel::mm
