// arch::InterruptTable: installing, removing and allocating vectors, and
// dispatching a frame to its handler (counted, or reported as unhandled).
#include <gtest/gtest.h>

#include <set>
#include <string_view>
#include <thread>
#include <vector>

#include "arch/x86_64/interrupts/interrupt_table.hpp"

namespace {

using arch::InterruptFrame;
using arch::InterruptHandler;
using arch::InterruptTable;
using arch::VectorError;

struct Calls {
    int count = 0;
    u64 last_vector = 0;
};

void count_call(InterruptFrame& frame, void* context) {
    Calls& calls = *static_cast<Calls*>(context);
    ++calls.count;
    calls.last_vector = frame.vector;
    frame.rax = 42;  // handlers may change the interrupted registers
}

InterruptFrame frame_for(u64 vector) {
    InterruptFrame frame{};
    frame.vector = vector;
    return frame;
}

TEST(InterruptTable, DispatchesToTheInstalledHandler) {
    InterruptTable table;
    Calls calls;
    const InterruptHandler handler{"test device", count_call, &calls};
    ASSERT_TRUE(table.install(0x30, handler));
    EXPECT_EQ(table.handler(0x30), &handler);

    InterruptFrame frame = frame_for(0x30);
    EXPECT_TRUE(table.dispatch(frame));
    EXPECT_TRUE(table.dispatch(frame));
    EXPECT_EQ(calls.count, 2);
    EXPECT_EQ(calls.last_vector, 0x30u);
    EXPECT_EQ(frame.rax, 42u);
    EXPECT_EQ(table.count(0x30), 2u);
    EXPECT_EQ(table.unhandled(), 0u);
}

TEST(InterruptTable, CountsVectorsWithoutAHandler) {
    InterruptTable table;
    InterruptFrame frame = frame_for(0x41);
    EXPECT_FALSE(table.dispatch(frame));
    EXPECT_FALSE(table.dispatch(frame));
    EXPECT_EQ(table.count(0x41), 2u);
    EXPECT_EQ(table.unhandled(), 2u);
}

TEST(InterruptTable, InstallAndRemove) {
    InterruptTable table;
    Calls calls;
    const InterruptHandler first{"first", count_call, &calls};
    const InterruptHandler second{"second", count_call, &calls};
    ASSERT_TRUE(table.install(0x50, first));
    EXPECT_EQ(table.install(0x50, second).error(), VectorError::Busy);
    EXPECT_EQ(table.remove(0x50, second).error(), VectorError::NotInstalled);
    EXPECT_TRUE(table.remove(0x50, first));
    EXPECT_EQ(table.handler(0x50), nullptr);
    EXPECT_EQ(table.remove(0x50, first).error(), VectorError::NotInstalled);
    EXPECT_TRUE(table.install(0x50, second));
    EXPECT_EQ(std::string_view(table.handler(0x50)->name), "second");
    // Exception vectors take handlers too (exceptions.cpp installs them).
    EXPECT_TRUE(table.install(14, first));
}

TEST(InterruptTable, AllocatesTheLowestFreeVector) {
    InterruptTable table;
    Calls calls;
    const InterruptHandler handler{"irq", count_call, &calls};
    auto a = table.allocate(handler);
    ASSERT_TRUE(a);
    EXPECT_EQ(*a, arch::kFirstFreeVector);
    auto b = table.allocate(handler, 0x40, 0x41);
    auto c = table.allocate(handler, 0x40, 0x41);
    auto d = table.allocate(handler, 0x40, 0x41);
    EXPECT_EQ(b.value_or(0), 0x40);
    EXPECT_EQ(c.value_or(0), 0x41);
    EXPECT_EQ(d.error(), VectorError::NoneFree);
    EXPECT_EQ(table.allocate(handler, 0x10, 0x40).error(), VectorError::BadRange);
    EXPECT_EQ(table.allocate(handler, 0x42, 0x41).error(), VectorError::BadRange);
    auto last = table.allocate(handler, 0xFF, 0xFF);
    ASSERT_TRUE(last);
    EXPECT_EQ(*last, 0xFF);
}

TEST(InterruptTable, ConcurrentAllocationsGetDistinctVectors) {
    InterruptTable table;
    Calls calls;
    const InterruptHandler handler{"irq", count_call, &calls};
    constexpr int kThreads = 4;
    constexpr int kEach = (256 - 32) / kThreads;
    std::vector<std::vector<u8>> got(kThreads);
    std::vector<std::thread> threads;
    for (int t = 0; t < kThreads; ++t) {
        threads.emplace_back([&, t] {
            for (int i = 0; i < kEach; ++i) {
                auto a = table.allocate(handler);
                if (a) got[t].push_back(*a);
            }
        });
    }
    for (std::thread& thread : threads) thread.join();
    std::set<u8> all;
    size_t total = 0;
    for (const auto& list : got) {
        total += list.size();
        all.insert(list.begin(), list.end());
    }
    EXPECT_EQ(total, size_t{256 - 32});
    EXPECT_EQ(all.size(), total);
    EXPECT_EQ(table.allocate(handler).error(), VectorError::NoneFree);
}

}  // namespace
