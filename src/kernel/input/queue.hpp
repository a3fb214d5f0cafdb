// The kernel's one input queue: a bounded ring that interrupt handlers (the
// keyboard, mouse and serial drivers) push into and the shell pops from.
// Owner: the input subsystem; push() is safe from any interrupt handler and
// takes no lock that interrupted code may hold; a full queue drops the new
// event and counts it (never blocks, never crashes).
#pragma once

#include "kernel/input/event.hpp"
#include "lib/ktl/types.hpp"

namespace kernel::input {

// Adds `event`; false (and the drop counted) when the queue is full.
bool push(const Event& event);
// Takes the oldest event into `out`; false when the queue is empty.
[[nodiscard]] bool pop(Event& out);

// Free slots now (a snapshot): a source that can hold its input back (COM1's
// FIFO, and the terminal behind it) reads no more than this, so a stalled
// shell slows the sender down instead of losing keys.
[[nodiscard]] usize queue_room();

struct QueueStats {
    u64 pushed;
    u64 dropped;  // events lost to a full queue
    u64 capacity;
};
[[nodiscard]] QueueStats queue_stats();

}  // namespace kernel::input
