// The order in which locks are taken, the other half of lockdep
// (KEEL_DEBUG_LOCKS; docs/interrupts.md, "Lock order"). Taking a lock of
// class B while holding one of class A records the edge A -> B, once.
// Before a CPU waits for a B while it holds an A, a recorded path B -> ...
// -> A means some code took them the other way round: two CPUs doing both
// deadlock when their timing meets. The check reports it the first time
// both orders have been seen, on one CPU, whatever the timing, and
// whichever instances of the two classes took part.
//
// Nodes are lock CLASSES (lock_class.hpp): a named LockClass shared by the
// locks of one kind (each CPU's mailbox, each I/O APIC), or a lock that has
// none and is its own class. The node number lives in the class: in the
// LockClass, one per subclass, or in the lock (Spinlock's order node), so
// a classless lock built where another one was (on the stack, in a reused
// heap block) starts as a new node, never inheriting the old one's edges.
// Two locks of one class held together (a held lock's node slot is the
// wanted lock's) are refused: the order between two instances of a class
// is not a property of the class, unless the code says which comes first
// with a subclass.
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
#include "kernel/sync/lock_class.hpp"
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

// A lock's class as the table sees it (ClassOf gives it for a lock).
struct OrderClass {
    u32* node;               // where its node number lives: one slot per class
    const LockClass* named;  // null: the lock is its own class
    u32 subclass;
};

// A class, for the reports: the named class, or the lock that is its own.
struct ClassName {
    const void* key;  // the LockClass if `named`, else the lock
    u8 subclass;
    bool named;
};

// One recorded order: a lock of class `from` was held (taken at from_site)
// when one of class `to` was taken (at to_site).
struct OrderStep {
    ClassName from;
    const void* from_site;
    ClassName to;
    const void* to_site;
};

// What the check found: `lock` (wanted at `site`) while `held` (taken at
// `held_site`) is held; for an inversion, the recorded chain from
// `lock`'s class to `held`'s, for a class nested in itself none.
struct Inversion {
    static constexpr u32 kShownSteps = 4;
    const void* lock;
    const void* site;
    const void* held;
    const void* held_site;
    ClassName lock_class;
    ClassName held_class;
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
    // Classes and orders between them: a kind of lock takes one node
    // however many instances it has (a machine's CPU count no longer
    // multiplies the per-CPU locks' nodes), so the table holds half of
    // what it held when nodes were instances.
    static constexpr u32 kMaxNodes = 256;
    static constexpr u32 kMaxEdges = 512;
    // Bounds the wait for the table's lock (another CPU's search takes
    // microseconds; a CPU stopped holding it must not stop the others).
    static constexpr u64 kTableAttempts = u64{1} << 16;

    // A lock's class (taken with `subclass`). Passed to each call, so that
    // the table is all zeros at first (.bss, not the image's .data).
    using ClassOf = OrderClass (*)(const void* lock, u32 subclass);
    constexpr LockOrder() = default;

    enum class Check : u8 { Fine, Inverted, SameClass, Skipped };
    // Before a CPU, holding `held`, waits for `lock` (with `subclass`): true
    // when every edge held -> lock is recorded already and no held lock is
    // of its class (no lock, no search).
    [[nodiscard]] bool known(const HeldLocks& held, const void* lock, u32 subclass,
                             ClassOf class_of) const;
    // Otherwise, under the table's lock: checks for a held lock of the same
    // class, then for a path lock -> ... -> (a held lock), fills `found`
    // if there is either, else records the edges.
    Check check(u32 cpu, const HeldLocks& held, const void* lock, u32 subclass, const void* site,
                Inversion& found, ClassOf class_of);

    [[nodiscard]] OrderStats stats() const;
    [[nodiscard]] bool full() const { return __atomic_load_n(&full_, __ATOMIC_RELAXED); }

private:
    struct Node {
        const void* key;  // ClassName's
        u32 first;        // 1 + its latest out-edge, 0: none
        u8 subclass;
        bool named;
    };
    struct Edge {
        u32 from;
        u32 to;
        u32 next;  // 1 + the from node's previous out-edge, 0: none
        const void* from_site;
        const void* to_site;
    };

    [[nodiscard]] static u32 node(const OrderClass& of);
    [[nodiscard]] OrderClass class_of_held(const HeldLocks::Entry& entry) const {
        return class_of_(entry.lock, entry.subclass);
    }
    [[nodiscard]] bool has_edge(u32 from, u32 to) const;
    [[nodiscard]] ClassName name(u32 n) const {
        return {nodes_[n].key, nodes_[n].subclass, nodes_[n].named};
    }
    // Under the table's lock.
    u32 assign(const OrderClass& of, const void* lock);
    void add_edge(u32 from, u32 to, const void* from_site, const void* to_site);
    [[nodiscard]] bool held_here(const HeldLocks& held, u32 node) const;
    // Breadth-first from `start` until a node held here; 0 when none.
    u32 search(const HeldLocks& held, u32 start);
    void describe(u32 start, u32 target, Inversion& found) const;
    template <typename Match>
    bool find_held(const HeldLocks& held, const void* lock, Match match, Inversion& found) const;
    // No path back: the edges from each held lock's class to `to_class`.
    void record(const HeldLocks& held, const void* lock, const OrderClass& to_class,
                const void* site);
    Check check_locked(const HeldLocks& held, const void* lock, u32 subclass, const void* site,
                       Inversion& found);

    ClassOf class_of_ = nullptr;  // check()'s, under the table's lock
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

// How a report names a class.
[[nodiscard]] inline ClassName class_name(const OrderClass& of, const void* lock) {
    return {of.named != nullptr ? static_cast<const void*>(of.named) : lock,
            static_cast<u8>(of.subclass), of.named != nullptr};
}

}  // namespace kernel::lock_debug
