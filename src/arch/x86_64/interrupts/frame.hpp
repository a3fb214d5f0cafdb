// The registers of interrupted code as entry.S saves them: what the stub
// pushed (general registers, vector, error code) below what the CPU pushed
// (SDM Vol. 3A, 6.14.2, figure 6-9: SS, RSP, RFLAGS, CS, RIP).
#pragma once

#include "lib/ktl/types.hpp"

namespace arch {

struct InterruptFrame {
    // Pushed by exception_common, last first.
    u64 r15, r14, r13, r12, r11, r10, r9, r8;
    u64 rbp, rdi, rsi, rdx, rcx, rbx, rax;
    // Pushed by the vector's stub.
    u64 vector;
    u64 error_code;  // The CPU's, or 0 where the vector has none.
    // Pushed by the CPU.
    u64 rip, cs, rflags, rsp, ss;
};
// entry.S relies on this size (and layout) to keep the stack 16-byte aligned
// at the call and to discard vector and error code before IRETQ.
static_assert(sizeof(InterruptFrame) == 22 * sizeof(u64));
static_assert(__builtin_offsetof(InterruptFrame, vector) == 15 * sizeof(u64));
static_assert(__builtin_offsetof(InterruptFrame, rip) == 17 * sizeof(u64));

}  // namespace arch
