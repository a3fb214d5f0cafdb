// The input queue (src/kernel/input/ring.hpp, queue.cpp): order, overflow
// counted and survived, and no lost or duplicated event with several
// producers (threads playing CPUs) and a consumer at once.
#include <gtest/gtest.h>

#include <set>
#include <thread>
#include <vector>

#include "arch/arch.hpp"
#include "kernel/input/queue.hpp"
#include "kernel/input/ring.hpp"

namespace {

using kernel::input::Event;
using kernel::input::EventRing;
using kernel::input::Kind;

Event mouse_event(int n) {
    Event e;
    e.kind = Kind::Mouse;
    e.mouse.dx = static_cast<i16>(n);
    e.mouse.dy = static_cast<i16>(n >> 15);
    return e;
}
int number(const Event& e) { return (e.mouse.dy << 15) | e.mouse.dx; }

TEST(InputQueue, FirstInFirstOut) {
    EventRing<8> ring;
    for (int i = 0; i < 5; ++i) EXPECT_TRUE(ring.push(mouse_event(i)));
    Event out;
    for (int i = 0; i < 5; ++i) {
        ASSERT_TRUE(ring.pop(out));
        EXPECT_EQ(number(out), i);
    }
    EXPECT_FALSE(ring.pop(out));
}

TEST(InputQueue, FullRingDropsNewEventsAndCountsThem) {
    EventRing<4> ring;
    for (int i = 0; i < 4; ++i) EXPECT_TRUE(ring.push(mouse_event(i)));
    EXPECT_FALSE(ring.push(mouse_event(99)));
    EXPECT_FALSE(ring.push(mouse_event(100)));
    auto stats = ring.stats();
    EXPECT_EQ(stats.pushed, 4U);
    EXPECT_EQ(stats.dropped, 2U);
    EXPECT_EQ(stats.queued, 4U);
    Event out;
    for (int i = 0; i < 4; ++i) {
        ASSERT_TRUE(ring.pop(out));
        EXPECT_EQ(number(out), i);  // the oldest kept, the newest lost
    }
    // Wraps around and keeps working after an overflow.
    for (int i = 10; i < 13; ++i) EXPECT_TRUE(ring.push(mouse_event(i)));
    for (int i = 10; i < 13; ++i) {
        ASSERT_TRUE(ring.pop(out));
        EXPECT_EQ(number(out), i);
    }
}

TEST(InputQueue, ManyProducersOneConsumerLoseNothing) {
    constexpr int kProducers = 4;
    constexpr int kEach = 5000;
    EventRing<64> ring;
    std::vector<std::thread> producers;
    for (int p = 0; p < kProducers; ++p) {
        producers.emplace_back([&ring, p] {
            for (int i = 0; i < kEach; ++i) {
                // Producers retry where an interrupt handler would drop:
                // here every event must come out exactly once.
                while (!ring.push(mouse_event(p * kEach + i))) std::this_thread::yield();
                EXPECT_TRUE(arch::interrupts_enabled());  // the guard gave them back
            }
        });
    }
    std::set<int> seen;
    std::vector<int> last(kProducers, -1);
    Event out;
    while (seen.size() < static_cast<size_t>(kProducers * kEach)) {
        if (!ring.pop(out)) {
            std::this_thread::yield();
            continue;
        }
        const int n = number(out);
        EXPECT_TRUE(seen.insert(n).second) << "event " << n << " popped twice";
        // Each producer's events come out in the order it pushed them.
        EXPECT_GT(n % kEach, last[n / kEach]);
        last[n / kEach] = n % kEach;
    }
    for (std::thread& t : producers) t.join();
    EXPECT_FALSE(ring.pop(out));
}

TEST(InputQueue, KernelQueueCountsDrops) {
    Event out;
    while (kernel::input::pop(out)) {
    }
    const auto before = kernel::input::queue_stats();
    for (u64 i = 0; i < before.capacity + 3; ++i) kernel::input::push(mouse_event(1));
    const auto after = kernel::input::queue_stats();
    EXPECT_EQ(after.dropped - before.dropped, 3U);
    EXPECT_EQ(after.pushed - before.pushed, before.capacity);
    while (kernel::input::pop(out)) {
    }
}

}  // namespace

// The kernel's queue says how much room it has, which COM1's driver reads
// to leave bytes in the UART rather than drop them.
TEST(InputQueue, RoomIsWhatAFullQueueLacks) {
    kernel::input::Event event;
    while (kernel::input::pop(event)) {
    }
    const usize capacity = kernel::input::queue_stats().capacity;
    EXPECT_EQ(kernel::input::queue_room(), capacity);
    while (kernel::input::push(event)) {
    }
    EXPECT_EQ(kernel::input::queue_room(), 0u);
    ASSERT_TRUE(kernel::input::pop(event));
    EXPECT_EQ(kernel::input::queue_room(), 1u);
    while (kernel::input::pop(event)) {
    }
}
