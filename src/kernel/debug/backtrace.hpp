// Frame-pointer stack walking. Every function keeps RBP pointing at its frame
// record (-fno-omit-frame-pointer): [rbp] = the caller's RBP, [rbp + 8] = the
// return address into the caller. boot64.S starts the chain with RBP = 0.
//
// Hardware-independent (host-tested in tests/host/backtrace_test.cpp). The
// walker reads memory only inside the stacks it is given, so a corrupt chain
// ends the walk instead of faulting in the middle of a panic.
#pragma once

#include "lib/ktl/span.hpp"
#include "lib/ktl/string_view.hpp"
#include "lib/ktl/types.hpp"

namespace kernel::debug {

// A stack the kernel runs on: [base, top), readable in full.
struct StackRange {
    const char* name;
    u64 base;
    u64 top;
    [[nodiscard]] constexpr bool contains(u64 address, u64 size) const {
        return address >= base && address <= top && size <= top - address;
    }
};

// Why a walk stopped.
enum class WalkEnd : u8 {
    EndOfChain,     // RBP = 0 or a zero return address: the outermost frame
    NonCanonical,   // RBP is not a canonical 48-bit address
    Misaligned,     // RBP is not 8-byte aligned
    OutsideStacks,  // the frame record is not inside a known stack
    NotIncreasing,  // the next frame is not above this one on the same stack
    TooManyFrames,  // `max` frames were read
};
[[nodiscard]] ktl::string_view describe(WalkEnd end);

[[nodiscard]] constexpr bool is_canonical(u64 address) {
    const u64 top = address >> 47;  // bits 63..47 must all be equal
    return top == 0 || top == (u64{1} << 17) - 1;
}

struct WalkResult {
    usize count;  // return addresses stored
    WalkEnd end;
    u64 last_rbp;  // the frame pointer that ended the walk
};

// Follows the chain from `rbp`, storing up to `max` return addresses (the
// innermost first) in `out`. Moving to another known stack (from an IST
// stack to the kernel stack) is allowed; on the same stack each frame must
// be above the last.
WalkResult walk_frames(u64 rbp, ktl::span<const StackRange> stacks, u64* out, usize max);

}  // namespace kernel::debug
