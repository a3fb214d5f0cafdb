// kernel::debug::walk_frames on fake stacks: it follows RBP chains and stops,
// without reading outside the given stacks, at every kind of bad frame.
#include <gtest/gtest.h>

#include <vector>

#include "kernel/debug/backtrace.hpp"

namespace {

using kernel::debug::StackRange;
using kernel::debug::walk_frames;
using kernel::debug::WalkEnd;
using kernel::debug::WalkResult;

// A fake stack of 64 words; frame(i) is the address of word i.
struct FakeStack {
    alignas(16) u64 words[64] = {};
    u64 frame(int i) const { return reinterpret_cast<u64>(&words[i]); }
    // A frame record at word i: the caller's RBP, then the return address.
    void record(int i, u64 saved_rbp, u64 return_address) {
        words[i] = saved_rbp;
        words[i + 1] = return_address;
    }
    StackRange range(const char* name = "fake") const {
        return {name, frame(0), frame(0) + sizeof words};
    }
};

std::vector<u64> addresses(const u64* out, const WalkResult& r) { return {out, out + r.count}; }

TEST(Backtrace, FollowsTheChainToRbpZero) {
    FakeStack s;
    s.record(4, s.frame(10), 0x1111);
    s.record(10, s.frame(20), 0x2222);
    s.record(20, 0, 0x3333);
    const StackRange stacks[] = {s.range()};
    u64 out[8];
    const WalkResult r = walk_frames(s.frame(4), stacks, out, 8);
    EXPECT_EQ(r.end, WalkEnd::EndOfChain);
    EXPECT_EQ(addresses(out, r), (std::vector<u64>{0x1111, 0x2222, 0x3333}));
}

TEST(Backtrace, AZeroReturnAddressEndsTheChain) {
    FakeStack s;
    s.record(4, s.frame(10), 0x1111);
    s.record(10, s.frame(20), 0);
    const StackRange stacks[] = {s.range()};
    u64 out[8];
    const WalkResult r = walk_frames(s.frame(4), stacks, out, 8);
    EXPECT_EQ(r.end, WalkEnd::EndOfChain);
    EXPECT_EQ(r.count, 1u);
}

TEST(Backtrace, StartingAtZeroGivesNothing) {
    FakeStack s;
    const StackRange stacks[] = {s.range()};
    u64 out[8];
    const WalkResult r = walk_frames(0, stacks, out, 8);
    EXPECT_EQ(r.end, WalkEnd::EndOfChain);
    EXPECT_EQ(r.count, 0u);
}

TEST(Backtrace, StopsAtAFrameOutsideTheStacks) {
    FakeStack s;
    FakeStack elsewhere;
    s.record(4, elsewhere.frame(10), 0x1111);
    elsewhere.record(10, 0, 0x2222);
    const StackRange stacks[] = {s.range()};
    u64 out[8];
    const WalkResult r = walk_frames(s.frame(4), stacks, out, 8);
    EXPECT_EQ(r.end, WalkEnd::OutsideStacks);
    EXPECT_EQ(r.last_rbp, elsewhere.frame(10));
    EXPECT_EQ(addresses(out, r), (std::vector<u64>{0x1111}));
}

TEST(Backtrace, StopsAtARecordThatStraddlesTheStackTop) {
    FakeStack s;
    s.record(4, s.frame(63), 0x1111);  // a 16-byte record at the last word
    const StackRange stacks[] = {s.range()};
    u64 out[8];
    const WalkResult r = walk_frames(s.frame(4), stacks, out, 8);
    EXPECT_EQ(r.end, WalkEnd::OutsideStacks);
    EXPECT_EQ(r.count, 1u);
}

TEST(Backtrace, StopsAtAMisalignedFramePointer) {
    FakeStack s;
    s.record(4, s.frame(10) + 4, 0x1111);
    const StackRange stacks[] = {s.range()};
    u64 out[8];
    const WalkResult r = walk_frames(s.frame(4), stacks, out, 8);
    EXPECT_EQ(r.end, WalkEnd::Misaligned);
    EXPECT_EQ(r.count, 1u);
}

TEST(Backtrace, StopsAtANonCanonicalFramePointer) {
    FakeStack s;
    s.record(4, 0x8000'0000'0000'0000ULL, 0x1111);
    const StackRange stacks[] = {s.range()};
    u64 out[8];
    const WalkResult r = walk_frames(s.frame(4), stacks, out, 8);
    EXPECT_EQ(r.end, WalkEnd::NonCanonical);
    EXPECT_EQ(r.count, 1u);
}

TEST(Backtrace, StopsWhenTheChainDoesNotGoUp) {
    FakeStack s;
    s.record(10, s.frame(20), 0x1111);
    s.record(20, s.frame(10), 0x2222);  // a loop
    const StackRange stacks[] = {s.range()};
    u64 out[8];
    const WalkResult r = walk_frames(s.frame(10), stacks, out, 8);
    EXPECT_EQ(r.end, WalkEnd::NotIncreasing);
    EXPECT_EQ(addresses(out, r), (std::vector<u64>{0x1111, 0x2222}));

    s.record(10, s.frame(10), 0x1111);  // a frame pointing at itself
    const WalkResult self = walk_frames(s.frame(10), stacks, out, 8);
    EXPECT_EQ(self.end, WalkEnd::NotIncreasing);
    EXPECT_EQ(self.count, 1u);
}

TEST(Backtrace, StopsAfterMaxFrames) {
    FakeStack s;
    for (int i = 0; i < 20; ++i) s.record(2 * i, s.frame(2 * i + 2), 0x1000 + i);
    const StackRange stacks[] = {s.range()};
    u64 out[5];
    const WalkResult r = walk_frames(s.frame(0), stacks, out, 5);
    EXPECT_EQ(r.end, WalkEnd::TooManyFrames);
    EXPECT_EQ(addresses(out, r), (std::vector<u64>{0x1000, 0x1001, 0x1002, 0x1003, 0x1004}));
}

TEST(Backtrace, MovesFromAnInterruptStackToTheKernelStack) {
    FakeStack ist;
    FakeStack kernel;
    ist.record(50, kernel.frame(4), 0x1111);  // the handler's frame
    kernel.record(4, kernel.frame(8), 0x2222);
    kernel.record(8, 0, 0x3333);
    const StackRange stacks[] = {kernel.range("kernel"), ist.range("ist")};
    u64 out[8];
    const WalkResult r = walk_frames(ist.frame(50), stacks, out, 8);
    EXPECT_EQ(r.end, WalkEnd::EndOfChain);
    EXPECT_EQ(addresses(out, r), (std::vector<u64>{0x1111, 0x2222, 0x3333}));
}

TEST(Backtrace, NoStacksMeansNoFrames) {
    FakeStack s;
    s.record(4, 0, 0x1111);
    u64 out[8];
    const WalkResult r = walk_frames(s.frame(4), {}, out, 8);
    EXPECT_EQ(r.end, WalkEnd::OutsideStacks);
    EXPECT_EQ(r.count, 0u);
}

TEST(Backtrace, CanonicalAddresses) {
    EXPECT_TRUE(kernel::debug::is_canonical(0));
    EXPECT_TRUE(kernel::debug::is_canonical(0x0000'7FFF'FFFF'FFFFULL));
    EXPECT_FALSE(kernel::debug::is_canonical(0x0000'8000'0000'0000ULL));
    EXPECT_FALSE(kernel::debug::is_canonical(0x8000'0000'0000'0000ULL));
    EXPECT_TRUE(kernel::debug::is_canonical(0xFFFF'8000'0000'0000ULL));
    EXPECT_TRUE(kernel::debug::is_canonical(0xFFFF'FFFF'8000'0000ULL));
    EXPECT_FALSE(kernel::debug::is_canonical(0xFFFF'7FFF'FFFF'FFFFULL));
}

TEST(Backtrace, EveryEndIsDescribed) {
    for (int e = 0; e <= static_cast<int>(WalkEnd::TooManyFrames); ++e)
        EXPECT_FALSE(kernel::debug::describe(static_cast<WalkEnd>(e)).empty());
}

}  // namespace
