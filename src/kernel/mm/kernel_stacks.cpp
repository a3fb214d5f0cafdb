#include "kernel/mm/kernel_stacks.hpp"

#include "kernel/sync/guard.hpp"

namespace kernel::mm {

namespace {

// [a, a_end) and [b, b_end) share a byte.
bool overlap(u64 a, u64 a_end, u64 b, u64 b_end) { return a < b_end && b < a_end; }

bool overlap(const KernelStack& a, const KernelStack& b) {
    if (overlap(a.base, a.top, b.base, b.top)) return true;
    const u64 page = kStackGuardSize;
    if (a.guard != 0 && overlap(a.guard, a.guard + page, b.base, b.top)) return true;
    if (b.guard != 0 && overlap(b.guard, b.guard + page, a.base, a.top)) return true;
    return a.guard != 0 && a.guard == b.guard;
}

bool same(const KernelStack& a, const KernelStack& b) {
    return a.base == b.base && a.top == b.top && a.guard == b.guard;
}

StackRegistry g_kernel_stacks;

}  // namespace

StackLabel label(const KernelStack& stack) {
    StackLabel out;
    const usize length =
        stack.cpu != 0
            ? kfmt::format_to_n(out.text, sizeof(out.text), "CPU {} {}", stack.cpu, stack.name)
            : kfmt::format_to_n(out.text, sizeof(out.text), "{}", stack.name);
    out.size = length < sizeof(out.text) ? length : sizeof(out.text) - 1;
    return out;
}

ktl::string_view describe(StackError error) {
    switch (error) {
        case StackError::Empty:
            return "the stack is empty (base >= top)";
        case StackError::GuardMisaligned:
            return "the guard page is not page aligned";
        case StackError::GuardOverlapsStack:
            return "the guard page overlaps the stack";
        case StackError::Overlaps:
            return "it overlaps a registered stack or guard page";
        case StackError::Full:
            return "the stack registry is full";
    }
    return "unknown error";
}

Result<void, StackError> StackRegistry::add(const KernelStack& stack) {
    if (stack.base >= stack.top) return StackError::Empty;
    if (stack.guard % kStackGuardSize != 0) return StackError::GuardMisaligned;
    if (stack.guard != 0 &&
        overlap(stack.guard, stack.guard + kStackGuardSize, stack.base, stack.top))
        return StackError::GuardOverlapsStack;
    // Interrupts off: a handler on this CPU may register a stack one day
    // (a CPU coming online), and must not find the lock held under it.
    const IrqSaveSpinlockGuard hold(lock_);
    const usize count = count_;  // only writers change it, under the lock
    for (usize i = 0; i < count; ++i) {
        if (same(stacks_[i], stack)) return {};
        if (overlap(stacks_[i], stack)) return StackError::Overlaps;
    }
    if (count == capacity_) return StackError::Full;
    stacks_[count] = stack;
    ranges_[count] = {stack.name, stack.base, stack.top};
    __atomic_store_n(&count_, count + 1, __ATOMIC_RELEASE);  // publishes the entry
    return {};
}

bool StackRegistry::grow(KernelStack* stacks, debug::StackRange* ranges, usize capacity) {
    const IrqSaveSpinlockGuard hold(lock_);
    if (stacks == nullptr || ranges == nullptr || capacity <= capacity_) return false;
    const usize count = count_;
    for (usize i = 0; i < count; ++i) {
        stacks[i] = stacks_[i];
        ranges[i] = ranges_[i];
    }
    // Whole copies first, then the storage (release): a reader that loads
    // the new storage finds every entry its count covers. Entries added
    // from now on go to the new storage only, published by the count.
    __atomic_store_n(&ranges_, ranges, __ATOMIC_RELEASE);
    __atomic_store_n(&stacks_, stacks, __ATOMIC_RELEASE);
    __atomic_store_n(&capacity_, capacity, __ATOMIC_RELEASE);
    return true;
}

const KernelStack* StackRegistry::stack_at(u64 address) const {
    for (const KernelStack& stack : stacks())
        if (stack.contains(address)) return &stack;
    return nullptr;
}

const KernelStack* StackRegistry::guard_at(u64 address) const {
    for (const KernelStack& stack : stacks())
        if (stack.in_guard(address)) return &stack;
    return nullptr;
}

usize StackRegistry::guard_count() const {
    usize n = 0;
    for (const KernelStack& stack : stacks()) n += stack.guard != 0 ? 1 : 0;
    return n;
}

StackRegistry& kernel_stacks() { return g_kernel_stacks; }

}  // namespace kernel::mm
