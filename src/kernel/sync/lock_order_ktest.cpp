// The lock-order check in the running kernel (kernel/sync/lock_order.hpp):
// a new order is recorded once, taking it again costs no new entry (with
// other instances of the same classes too), lock_nested's subclass is a
// class of its own, locks released out of order leave the CPU's held
// locks straight, and the boot so far filled neither the table nor
// skipped a check. Each runs again the same when `test` is typed twice:
// the table keeps what a first run recorded, so a test counts on new
// entries only when its locks have none yet.
#include "kernel/log/log.hpp"
#include "kernel/sync/spinlock.hpp"
#include "kernel/test/ktest.hpp"

#if KEEL_DEBUG_LOCKS
namespace {

namespace lock_debug = kernel::lock_debug;

kernel::Spinlock g_outer;
kernel::Spinlock g_inner;

KTEST(lock_order_records_each_order_once) {
    // A pair of its own: the tests run in the order the linker placed
    // them (GCC and clang differ), and another test's pair would already
    // have its order recorded.
    static kernel::Spinlock outer;
    static kernel::Spinlock inner;
    const bool first_run = *outer.order_node() == 0;
    const u32 before = lock_debug::order_stats().edges;
    for (int i = 0; i < 3; ++i) {
        outer.lock();
        inner.lock();
        inner.unlock();
        outer.unlock();
    }
    KEXPECT(lock_debug::order_stats().edges == before + (first_run ? 1 : 0));
    KEXPECT(*outer.order_node() != 0);
    KEXPECT(*inner.order_node() != 0);
}

KTEST(lock_order_release_out_of_order) {
    // The first released first, as call_on_all releases the mailboxes: then
    // the same order again, and the opposite order of a third lock would
    // panic if a stale entry were left behind.
    kernel::Spinlock third;
    for (int i = 0; i < 2; ++i) {
        g_outer.lock();
        g_inner.lock();
        g_outer.unlock();
        g_inner.unlock();
    }
    third.lock();
    third.unlock();
    KEXPECT(!g_outer.is_locked());
    KEXPECT(!g_inner.is_locked());
}

// Locks of a class (lock_class.hpp) share one node: an order taken with
// one pair of instances is known for another pair, no new entry.
KTEST(lock_order_instances_of_a_class_share_their_orders) {
    static constinit kernel::LockClass kinds{"ktest kind"};
    static kernel::Spinlock first{kinds};
    static kernel::Spinlock second{kinds};
    static kernel::Spinlock after;
    const bool first_run = *first.order_node() == 0;
    const lock_debug::OrderStats before = lock_debug::order_stats();
    kernel::Spinlock* const pair[] = {&first, &second};
    for (kernel::Spinlock* one : pair) {
        one->lock();
        after.lock();
        after.unlock();
        one->unlock();
    }
    const lock_debug::OrderStats now = lock_debug::order_stats();
    KEXPECT(now.nodes == before.nodes + (first_run ? 2 : 0));
    KEXPECT(now.edges == before.edges + (first_run ? 1 : 0));
    KEXPECT(first.order_node() == second.order_node());
}

// Two locks of one class held together are refused (a panic) unless the
// inner one is taken with lock_nested: then it is a class of its own.
KTEST(lock_order_nested_subclass_is_allowed) {
    static constinit kernel::LockClass parents{"ktest parent"};
    static kernel::Spinlock parent{parents};
    static kernel::Spinlock child{parents};
    const bool first_run = *child.order_node(1) == 0;
    const u32 before = lock_debug::order_stats().edges;
    for (int i = 0; i < 2; ++i) {
        parent.lock();
        child.lock_nested(1);
        child.unlock();
        parent.unlock();
    }
    KEXPECT(lock_debug::order_stats().edges == before + (first_run ? 1 : 0));
    KEXPECT(*child.order_node(1) != 0);
    KEXPECT(child.order_node(1) != parent.order_node());
}

KTEST(lock_order_table_has_room) {
    const lock_debug::OrderStats stats = lock_debug::order_stats();
    kernel::log::info("ktest: lock order: {} locks, {} orders, {} searches, {} checks skipped",
                      stats.nodes, stats.edges, stats.searches, stats.skipped);
    KEXPECT(!stats.full);
    KEXPECT(stats.nodes < lock_debug::LockOrder::kMaxNodes / 2);
    KEXPECT(stats.edges < lock_debug::LockOrder::kMaxEdges / 2);
}

}  // namespace
#endif
