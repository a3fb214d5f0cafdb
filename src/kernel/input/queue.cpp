#include "kernel/input/queue.hpp"

#include "kernel/input/ring.hpp"

namespace kernel::input {
namespace {

// 256 events: several seconds of fast typing, or a second of mouse packets,
// if the shell stalls; more would only delay what it sees once it reads.
EventRing<256> g_queue;

}  // namespace

bool push(const Event& event) { return g_queue.push(event); }

bool pop(Event& out) { return g_queue.pop(out); }

usize queue_room() { return decltype(g_queue)::capacity() - g_queue.stats().queued; }

QueueStats queue_stats() {
    const auto s = g_queue.stats();
    return {s.pushed, s.dropped, decltype(g_queue)::capacity()};
}

}  // namespace kernel::input
