// kernel::mm::StackRegistry: what it accepts, what it finds, and that
// lock-free readers only ever see whole entries while threads register.
#include <gtest/gtest.h>

#include <atomic>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include "kernel/mm/kernel_stacks.hpp"

namespace {

using kernel::mm::KernelStack;
using kernel::mm::StackError;
using kernel::mm::StackRegistry;

constexpr u64 kPage = 0x1000;
constexpr u64 kBase = 0xFFFF'FFFF'8010'0000;

// A 4-page stack at kBase + n * 8 pages, its guard right below.
KernelStack stack(u64 n, const char* name = "stack") {
    const u64 base = kBase + n * 8 * kPage;
    return {name, base, base + 4 * kPage, base - kPage};
}

TEST(StackRegistry, FindsStacksAndGuardPages) {
    StackRegistry registry;
    ASSERT_TRUE(registry.add(stack(0, "kernel stack")));
    ASSERT_TRUE(registry.add(stack(1, "double-fault IST")));
    EXPECT_EQ(registry.size(), 2u);
    EXPECT_EQ(registry.guard_count(), 2u);

    const KernelStack ist = stack(1);
    ASSERT_NE(registry.stack_at(ist.base), nullptr);
    EXPECT_EQ(std::string_view(registry.stack_at(ist.base)->name), "double-fault IST");
    EXPECT_NE(registry.stack_at(ist.top), nullptr);  // an empty stack's RSP
    EXPECT_EQ(registry.stack_at(ist.top + 1), nullptr);
    EXPECT_EQ(registry.stack_at(ist.guard), nullptr);

    ASSERT_NE(registry.guard_at(ist.guard), nullptr);
    EXPECT_EQ(std::string_view(registry.guard_at(ist.guard + kPage - 1)->name), "double-fault IST");
    EXPECT_EQ(registry.guard_at(ist.guard - 1), nullptr);
    EXPECT_EQ(registry.guard_at(ist.base), nullptr);

    // The walker's view: the same stacks.
    ASSERT_EQ(registry.ranges().size(), 2u);
    EXPECT_EQ(registry.ranges()[1].base, ist.base);
    EXPECT_EQ(registry.ranges()[1].top, ist.top);
    EXPECT_TRUE(registry.ranges()[0].contains(stack(0).base, 16));
}

// One generic name per kind of stack; reports add the CPU for every CPU
// but the boot CPU, whose stacks keep the names a one-CPU machine shows.
std::string text(const KernelStack& s) {
    const kernel::mm::StackLabel l = label(s);
    return {l.view().data(), l.view().size()};
}

TEST(StackRegistry, LabelsNameTheCpu) {
    StackRegistry registry;
    KernelStack boot = stack(0, "kernel stack");
    KernelStack ap = stack(1, "kernel stack");
    ap.cpu = 12;
    KernelStack last = stack(2, "machine-check IST");
    last.cpu = 255;
    ASSERT_TRUE(registry.add(boot));
    ASSERT_TRUE(registry.add(ap));
    ASSERT_TRUE(registry.add(last));
    EXPECT_EQ(text(*registry.stack_at(boot.base)), "kernel stack");
    EXPECT_EQ(text(*registry.guard_at(ap.guard)), "CPU 12 kernel stack");
    EXPECT_EQ(text(*registry.stack_at(last.base)), "CPU 255 machine-check IST");
    KernelStack widest = stack(3, "machine-check IST");
    widest.cpu = 4294967295U;
    EXPECT_EQ(text(widest), "CPU 4294967295 machine-check IST");
}

TEST(StackRegistry, RefusesBadStacks) {
    StackRegistry registry;
    ASSERT_TRUE(registry.add(stack(0)));
    EXPECT_TRUE(registry.add(stack(0)));  // the same again: no-op
    EXPECT_EQ(registry.size(), 1u);

    KernelStack s = stack(1);
    s.top = s.base;
    EXPECT_EQ(registry.add(s).error(), StackError::Empty);
    s = stack(1);
    s.guard += 8;
    EXPECT_EQ(registry.add(s).error(), StackError::GuardMisaligned);
    s = stack(1);
    s.guard = s.base;
    EXPECT_EQ(registry.add(s).error(), StackError::GuardOverlapsStack);
    s = stack(0);
    s.top += kPage;  // same base, other top: overlaps
    EXPECT_EQ(registry.add(s).error(), StackError::Overlaps);
    s = stack(1);
    s.guard = stack(0).top - kPage;  // guard inside another stack
    s.base = stack(0).top;
    EXPECT_EQ(registry.add(s).error(), StackError::Overlaps);
    EXPECT_EQ(registry.size(), 1u);

    KernelStack unguarded = stack(2);
    unguarded.guard = 0;
    EXPECT_TRUE(registry.add(unguarded));
    EXPECT_EQ(registry.guard_count(), 1u);
    EXPECT_EQ(registry.guard_at(0), nullptr);
}

TEST(StackRegistry, Full) {
    StackRegistry registry;
    EXPECT_EQ(registry.capacity(), StackRegistry::kInitialCapacity);
    for (u64 i = 0; i < StackRegistry::kInitialCapacity; ++i) ASSERT_TRUE(registry.add(stack(i)));
    EXPECT_EQ(registry.add(stack(StackRegistry::kInitialCapacity)).error(), StackError::Full);
    EXPECT_EQ(kernel::mm::describe(StackError::Full), "the stack registry is full");
}

// grow() moves every entry into the storage it is given, and the registry
// takes more stacks there; storage no larger than what it has is refused.
TEST(StackRegistry, GrowsIntoStorageItIsGiven) {
    StackRegistry registry;
    constexpr usize kInitial = StackRegistry::kInitialCapacity;
    for (u64 i = 0; i < kInitial; ++i) ASSERT_TRUE(registry.add(stack(i)));
    std::vector<KernelStack> small(kInitial);
    std::vector<kernel::debug::StackRange> small_ranges(kInitial);
    EXPECT_FALSE(registry.grow(small.data(), small_ranges.data(), kInitial));
    EXPECT_FALSE(registry.grow(nullptr, nullptr, 4 * kInitial));
    std::vector<KernelStack> stacks(4 * kInitial);
    std::vector<kernel::debug::StackRange> ranges(4 * kInitial);
    ASSERT_TRUE(registry.grow(stacks.data(), ranges.data(), stacks.size()));
    EXPECT_EQ(registry.capacity(), 4 * kInitial);
    EXPECT_EQ(registry.stacks().data(), stacks.data());
    EXPECT_EQ(registry.ranges().data(), ranges.data());
    ASSERT_EQ(registry.size(), kInitial);
    for (u64 i = 0; i < kInitial; ++i) {
        EXPECT_EQ(registry[i].base, stack(i).base);
        EXPECT_EQ(registry.ranges()[i].base, stack(i).base);
    }
    for (u64 i = kInitial; i < 4 * kInitial; ++i) ASSERT_TRUE(registry.add(stack(i)));
    EXPECT_EQ(registry.add(stack(4 * kInitial)).error(), StackError::Full);
    EXPECT_EQ(registry.stack_at(stack(4 * kInitial - 1).base + 8)->base,
              stack(4 * kInitial - 1).base);
    EXPECT_TRUE(registry.add(stack(3)));  // the same stack again
    EXPECT_TRUE(registry.add(stack(3, "other")));
}

// A reader racing with grow() and add() sees whole entries, whichever
// storage it took: the copies are complete before the storage is
// published, and the old storage stays.
TEST(StackRegistry, ReadersSeeWholeEntriesWhileItGrows) {
    StackRegistry registry;
    constexpr usize kTotal = 1024;
    std::vector<std::vector<KernelStack>> stacks;
    std::vector<std::vector<kernel::debug::StackRange>> ranges;
    for (usize capacity = 2 * StackRegistry::kInitialCapacity; capacity <= kTotal; capacity *= 2) {
        stacks.emplace_back(capacity);
        ranges.emplace_back(capacity);
    }
    std::atomic<bool> done{false};
    std::atomic<u64> bad{0};
    std::thread reader([&] {
        while (!done) {
            for (const KernelStack& s : registry.stacks())
                if (s.name == nullptr || s.top != s.base + 4 * kPage || s.guard != s.base - kPage)
                    ++bad;
            for (const kernel::debug::StackRange& r : registry.ranges())
                if (r.top != r.base + 4 * kPage) ++bad;
        }
    });
    usize next_storage = 0;
    for (u64 i = 0; i < kTotal; ++i) {
        if (registry.size() == registry.capacity()) {
            ASSERT_TRUE(registry.grow(stacks[next_storage].data(), ranges[next_storage].data(),
                                      stacks[next_storage].size()));
            ++next_storage;
        }
        ASSERT_TRUE(registry.add(stack(i, "thread stack")));
    }
    done = true;
    reader.join();
    EXPECT_EQ(bad.load(), 0u);
    EXPECT_EQ(registry.size(), kTotal);
}

TEST(StackRegistry, ReadersSeeWholeEntriesWhileThreadsRegister) {
    StackRegistry registry;
    constexpr u64 kWriters = 4;
    constexpr u64 kPerWriter = StackRegistry::kInitialCapacity / kWriters;
    std::atomic<bool> done{false};
    std::atomic<u64> bad{0};
    std::thread reader([&] {
        while (!done) {
            for (const KernelStack& s : registry.stacks()) {
                const bool whole =
                    s.name != nullptr && s.top == s.base + 4 * kPage && s.guard == s.base - kPage;
                if (!whole || registry.stack_at(s.base) != &s) ++bad;
            }
        }
    });
    std::vector<std::thread> writers;
    for (u64 w = 0; w < kWriters; ++w) {
        writers.emplace_back([&, w] {
            for (u64 i = 0; i < kPerWriter; ++i)
                EXPECT_TRUE(registry.add(stack(w * kPerWriter + i, "thread stack")));
        });
    }
    for (std::thread& writer : writers) writer.join();
    done = true;
    reader.join();
    EXPECT_EQ(bad.load(), 0u);
    EXPECT_EQ(registry.size(), StackRegistry::kInitialCapacity);
    for (u64 i = 0; i < StackRegistry::kInitialCapacity; ++i)
        EXPECT_NE(registry.stack_at(stack(i).base), nullptr);
}

}  // namespace
