// The order in which locks are taken, the other half of lockdep
// (KEEL_DEBUG_LOCKS; docs/interrupts.md, "Locking"). Taking lock B while
// holding lock A records the edge A -> B, once. Before a CPU waits for B
// while it holds A, a recorded path B -> ... -> A means some code took them
// the other way round: two CPUs doing both deadlock when their timing meets.
// The check reports it the first time both orders have been seen, on one
// CPU, whatever the timing.
//
// Nodes are lock INSTANCES, numbered the first time a lock takes part in
// an edge; the number lives in the lock (Spinlock's order node), so a lock
// built where another one was (on the stack, in a reused heap block) starts
// as a new node, never inheriting the old one's edges. Keel's locks are
// mostly static, one per subsystem; its per-object locks (each CPU's
// mailbox and heap magazine, each I/O APIC) would share a class in Linux;
// here an inversion between two different instances of the same pair goes
// unseen until the same two instances meet both ways.
//
// try_lock never waits, so it cannot be the waiting half of a deadlock: a
// lock taken by try_lock is pushed (it may be the first of a later edge)
// but is never the second of an edge, and is not checked (lockdep's rule).
//
// Fixed-size (no allocation: the heap takes Spinlocks itself). Readers look
// up an edge without any lock; new nodes and edges, and the path search,
// run under the table's own lock, a word that is not a Spinlock (it cannot
// recurse into this check) and is only ever tried, a bounded number of
// times: a CPU that finds it held by itself (an NMI that interrupted the
// check) or held too long skips the check, counted, rather than wait.
// When the table is full it stops recording (counted); never a panic.
//
// Hardware-independent: host-tested in tests/host/lock_order_test.cpp.
#pragma once

#include "kernel/sync/held_locks.hpp"
#include "lib/ktl/types.hpp"

namespace kernel::lock_debug {

// The table's lock: 0 or 1 + the CPU holding it.
class TableLock {
public:
    enum class Take : u8 { Taken, HeldHere, Busy };
    // Tries `attempts` times, pausing between.
    [[nodiscard]] Take take(u32 cpu, u64 attempts);
    void release() { __atomic_store_n(&owner_, 0U, __ATOMIC_RELEASE); }

private:
    u32 owner_ = 0;
};

// One recorded order: `from` was held (taken at from_site) when `to` was
// taken (at to_site).
struct OrderStep {
    const void* from;
    const void* from_site;
    const void* to;
    const void* to_site;
};

// What the check found: `lock` (wanted at `site`) while `held` (taken at
// `held_site`) is held, and the recorded chain from `lock` to `held`.
struct Inversion {
    static constexpr u32 kShownSteps = 4;
    const void* lock;
    const void* site;
    const void* held;
    const void* held_site;
    u32 steps;                    // the chain's length (1: a direct edge)
    OrderStep step[kShownSteps];  // its first steps, from `lock`
};

struct OrderStats {
    u32 nodes;
    u32 edges;
    u64 searches;  // new edges checked by a path search
    u64 skipped;   // checks skipped: the table's lock busy or held by this CPU
    bool full;     // a node or edge did not fit: recording stopped
};

class LockOrder {
public:
    static constexpr u32 kMaxNodes = 512;
    static constexpr u32 kMaxEdges = 1024;
    // Bounds the wait for the table's lock (another CPU's search takes
    // microseconds; a CPU stopped holding it must not stop the others).
    static constexpr u64 kTableAttempts = u64{1} << 16;

    // Where a lock keeps its node number (0: none yet). Passed to each
    // call, so that the table is all zeros at first (.bss, not 45 KiB of
    // the image's .data).
    using NodeOf = u32* (*)(const void* lock);
    constexpr LockOrder() = default;

    enum class Check : u8 { Fine, Inverted, Skipped };
    // Before `cpu`, holding `held`, waits for `lock` at `site`: true when
    // every edge held -> lock is recorded already (no lock, no search).
    [[nodiscard]] bool known(const HeldLocks& held, const void* lock, NodeOf node_of) const;
    // Otherwise, under the table's lock: checks for a path lock -> ... ->
    // (a held lock), fills `found` if there is one, else records the edges.
    Check check(u32 cpu, const HeldLocks& held, const void* lock, const void* site,
                Inversion& found, NodeOf node_of);

    [[nodiscard]] OrderStats stats() const;
    [[nodiscard]] bool full() const { return __atomic_load_n(&full_, __ATOMIC_RELAXED); }

private:
    struct Node {
        const void* lock;
        u32 first;  // 1 + its latest out-edge, 0: none
    };
    struct Edge {
        u32 from;
        u32 to;
        u32 next;  // 1 + the from node's previous out-edge, 0: none
        const void* from_site;
        const void* to_site;
    };

    [[nodiscard]] static u32 node(NodeOf node_of, const void* lock);
    [[nodiscard]] u32 node(const void* lock) const { return node(node_of_, lock); }
    [[nodiscard]] bool has_edge(u32 from, u32 to) const;
    // Under the table's lock.
    u32 assign(const void* lock);
    void add_edge(u32 from, u32 to, const void* from_site, const void* to_site);
    [[nodiscard]] bool held_here(const HeldLocks& held, u32 node) const;
    // Breadth-first from `start` until a node held here; 0 when none.
    u32 search(const HeldLocks& held, u32 start);
    void describe(u32 start, u32 target, Inversion& found) const;
    Check check_locked(const HeldLocks& held, const void* lock, const void* site, Inversion& found);

    NodeOf node_of_ = nullptr;  // check()'s, under the table's lock
    TableLock table_;
    // nodes_[0] and edges_ index 0 are unused: 0 means none.
    Node nodes_[kMaxNodes] = {};
    Edge edges_[kMaxEdges + 1] = {};
    u32 node_count_ = 0;  // the last node's number
    u32 edge_count_ = 0;
    u64 searches_ = 0;
    u64 skipped_ = 0;
    bool full_ = false;
    // The search's scratch, under the table's lock.
    u64 visited_[kMaxNodes / 64] = {};
    u16 queue_[kMaxNodes] = {};
    u16 via_[kMaxNodes] = {};  // the edge a node was reached through
};

}  // namespace kernel::lock_debug
