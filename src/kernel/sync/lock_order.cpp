#include "kernel/sync/lock_order.hpp"

#include "arch/arch.hpp"

namespace kernel::lock_debug {

TableLock::Take TableLock::take(u32 cpu, u64 attempts) {
    for (u64 i = 0; i < attempts; ++i) {
        u32 owner = 0;
        if (__atomic_compare_exchange_n(&owner_, &owner, cpu + 1, false, __ATOMIC_ACQUIRE,
                                        __ATOMIC_RELAXED))
            return Take::Taken;
        // Held by this CPU: an NMI (or a handler) interrupted its own check,
        // which cannot finish until this returns.
        if (owner == cpu + 1) return Take::HeldHere;
        arch::pause();
    }
    return Take::Busy;
}

u32 LockOrder::node(const OrderClass& of) { return __atomic_load_n(of.node, __ATOMIC_ACQUIRE); }

// Lock-free: an edge is filled before its index is published (release),
// and never changes after.
bool LockOrder::has_edge(u32 from, u32 to) const {
    for (u32 e = __atomic_load_n(&nodes_[from].first, __ATOMIC_ACQUIRE); e != 0; e = edges_[e].next)
        if (edges_[e].to == to) return true;
    return false;
}

bool LockOrder::known(const HeldLocks& held, const void* lock, u32 subclass,
                      ClassOf class_of) const {
    const u32 depth = held.depth();
    if (depth == 0) return true;
    const OrderClass to_class = class_of(lock, subclass);
    // A class nested in itself is refused even once the table is full: it
    // needs no table.
    const bool recording = !__atomic_load_n(&full_, __ATOMIC_RELAXED);
    const u32 to = node(to_class);
    for (u32 i = 0; i < depth; ++i) {
        const HeldLocks::Entry entry = held.entry(i);
        if (entry.lock == nullptr || entry.lock == lock) continue;
        const OrderClass from_class = class_of(entry.lock, entry.subclass);
        if (from_class.node == to_class.node) return false;
        if (!recording) continue;
        const u32 from = node(from_class);
        if (from == 0 || to == 0 || !has_edge(from, to)) return false;
    }
    return true;
}

LockOrder::Check LockOrder::check(u32 cpu, const HeldLocks& held, const void* lock, u32 subclass,
                                  const void* site, Inversion& found, ClassOf class_of) {
    if (table_.take(cpu, kTableAttempts) != TableLock::Take::Taken) {
        __atomic_fetch_add(&skipped_, 1, __ATOMIC_RELAXED);
        return Check::Skipped;
    }
    class_of_ = class_of;
    const Check result = check_locked(held, lock, subclass, site, found);
    table_.release();
    return result;
}

// The held lock (the latest, other than `lock` itself) whose class
// `match`es, named in `found`; false when there is none.
template <typename Match>
bool LockOrder::find_held(const HeldLocks& held, const void* lock, Match match,
                          Inversion& found) const {
    bool any = false;
    for (u32 i = 0; i < held.depth(); ++i) {
        const HeldLocks::Entry entry = held.entry(i);
        if (entry.lock == nullptr || entry.lock == lock) continue;
        const OrderClass of = class_of_held(entry);
        if (!match(of)) continue;
        found.held = entry.lock;
        found.held_site = entry.site;
        found.held_class = class_name(of, entry.lock);
        any = true;
    }
    return any;
}

LockOrder::Check LockOrder::check_locked(const HeldLocks& held, const void* lock, u32 subclass,
                                         const void* site, Inversion& found) {
    const OrderClass to_class = class_of_(lock, subclass);
    found.lock = lock;
    found.site = site;
    found.lock_class = class_name(to_class, lock);
    if (find_held(
            held, lock, [&](const OrderClass& of) { return of.node == to_class.node; }, found)) {
        found.steps = 0;
        return Check::SameClass;
    }
    if (full_) return Check::Fine;
    ++searches_;
    // A class without a node has no edge out, so no path back to a held one.
    const u32 to = node(to_class);
    const u32 target = to != 0 ? search(held, to) : 0;
    if (target == 0) {
        record(held, lock, to_class, site);
        return Check::Fine;
    }
    (void)find_held(
        held, lock, [&](const OrderClass& of) { return node(of) == target; }, found);
    describe(to, target, found);
    return Check::Inverted;
}

void LockOrder::record(const HeldLocks& held, const void* lock, const OrderClass& to_class,
                       const void* site) {
    u32 to = node(to_class);
    for (u32 i = 0; i < held.depth(); ++i) {
        const HeldLocks::Entry entry = held.entry(i);
        if (entry.lock == nullptr || entry.lock == lock) continue;
        const u32 from = assign(class_of_held(entry), entry.lock);
        if (to == 0) to = assign(to_class, lock);
        if (from == 0 || to == 0) return;  // full
        if (!has_edge(from, to)) add_edge(from, to, entry.site, site);
    }
}

u32 LockOrder::assign(const OrderClass& of, const void* lock) {
    const u32 existing = node(of);
    if (existing != 0) return existing;
    if (node_count_ == kMaxNodes - 1) {
        __atomic_store_n(&full_, true, __ATOMIC_RELAXED);
        return 0;
    }
    const u32 n = ++node_count_;
    const ClassName named = class_name(of, lock);
    nodes_[n] = {named.key, 0, named.subclass, named.named};
    __atomic_store_n(of.node, n, __ATOMIC_RELEASE);
    return n;
}

void LockOrder::add_edge(u32 from, u32 to, const void* from_site, const void* to_site) {
    if (edge_count_ == kMaxEdges) {
        __atomic_store_n(&full_, true, __ATOMIC_RELAXED);
        return;
    }
    const u32 e = ++edge_count_;
    edges_[e] = {from, to, nodes_[from].first, from_site, to_site};
    __atomic_store_n(&nodes_[from].first, e, __ATOMIC_RELEASE);
}

bool LockOrder::held_here(const HeldLocks& held, u32 n) const {
    for (u32 i = 0; i < held.depth(); ++i) {
        const HeldLocks::Entry entry = held.entry(i);
        if (entry.lock != nullptr && node(class_of_held(entry)) == n) return true;
    }
    return false;
}

// Every node is queued at most once: bounded by kMaxNodes steps whatever
// the graph holds.
u32 LockOrder::search(const HeldLocks& held, u32 start) {
    for (u64& word : visited_) word = 0;
    const auto visit = [this](u32 n) {
        const bool seen = (visited_[n / 64] >> (n % 64) & 1U) != 0;
        visited_[n / 64] |= u64{1} << (n % 64);
        return !seen;
    };
    visit(start);
    u32 head = 0;
    u32 tail = 0;
    queue_[tail++] = static_cast<u16>(start);
    while (head < tail) {
        const u32 n = queue_[head++];
        for (u32 e = nodes_[n].first; e != 0; e = edges_[e].next) {
            const u32 next = edges_[e].to;
            if (!visit(next)) continue;
            via_[next] = static_cast<u16>(e);
            if (held_here(held, next)) return next;
            queue_[tail++] = static_cast<u16>(next);
        }
    }
    return 0;
}

void LockOrder::describe(u32 start, u32 target, Inversion& found) const {
    u32 steps = 0;
    for (u32 n = target; n != start; n = edges_[via_[n]].from) ++steps;
    found.steps = steps;
    u32 position = steps;
    for (u32 n = target; n != start; n = edges_[via_[n]].from) {
        const Edge& edge = edges_[via_[n]];
        if (--position < Inversion::kShownSteps)
            found.step[position] = {name(edge.from), edge.from_site, name(edge.to), edge.to_site};
    }
}

OrderStats LockOrder::stats() const {
    return {__atomic_load_n(&node_count_, __ATOMIC_RELAXED),
            __atomic_load_n(&edge_count_, __ATOMIC_RELAXED),
            __atomic_load_n(&searches_, __ATOMIC_RELAXED),
            __atomic_load_n(&skipped_, __ATOMIC_RELAXED),
            __atomic_load_n(&full_, __ATOMIC_RELAXED)};
}

}  // namespace kernel::lock_debug
