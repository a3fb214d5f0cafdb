#include "kernel/debug/backtrace.hpp"

namespace kernel::debug {

namespace {

constexpr usize kNoStack = ~usize{0};

usize stack_of(ktl::span<const StackRange> stacks, u64 address, u64 size) {
    for (usize i = 0; i < stacks.size(); ++i)
        if (stacks[i].contains(address, size)) return i;
    return kNoStack;
}

u64 read_u64(u64 address) {
    u64 value = 0;
    __builtin_memcpy(&value, reinterpret_cast<const void*>(static_cast<uptr>(address)),
                     sizeof value);
    return value;
}

}  // namespace

ktl::string_view describe(WalkEnd end) {
    switch (end) {
        case WalkEnd::EndOfChain:
            return "end of the frame chain";
        case WalkEnd::NonCanonical:
            return "non-canonical frame pointer";
        case WalkEnd::Misaligned:
            return "misaligned frame pointer";
        case WalkEnd::OutsideStacks:
            return "frame pointer outside the kernel stacks";
        case WalkEnd::NotIncreasing:
            return "frame chain does not go up the stack";
        case WalkEnd::TooManyFrames:
            return "frame limit reached";
    }
    return "unknown";
}

WalkResult walk_frames(u64 rbp, ktl::span<const StackRange> stacks, u64* out, usize max) {
    constexpr u64 kRecordSize = 16;  // saved RBP, return address
    WalkResult result{0, WalkEnd::EndOfChain, rbp};
    usize previous_stack = kNoStack;
    u64 previous_rbp = 0;
    for (;;) {
        result.last_rbp = rbp;
        if (rbp == 0) {
            result.end = WalkEnd::EndOfChain;
            break;
        }
        if (!is_canonical(rbp)) {
            result.end = WalkEnd::NonCanonical;
            break;
        }
        if (rbp % 8 != 0) {
            result.end = WalkEnd::Misaligned;
            break;
        }
        const usize stack = stack_of(stacks, rbp, kRecordSize);
        if (stack == kNoStack) {
            result.end = WalkEnd::OutsideStacks;
            break;
        }
        if (stack == previous_stack && rbp <= previous_rbp) {
            result.end = WalkEnd::NotIncreasing;
            break;
        }
        if (result.count == max) {
            result.end = WalkEnd::TooManyFrames;
            break;
        }
        const u64 return_address = read_u64(rbp + 8);
        if (return_address == 0) {
            result.end = WalkEnd::EndOfChain;
            break;
        }
        out[result.count++] = return_address;
        previous_stack = stack;
        previous_rbp = rbp;
        rbp = read_u64(rbp);
    }
    return result;
}

}  // namespace kernel::debug
