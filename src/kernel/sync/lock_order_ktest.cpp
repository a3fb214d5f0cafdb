// The lock-order check in the running kernel (kernel/sync/lock_order.hpp):
// a new order is recorded once, taking it again costs no new entry,
// locks released out of order leave the CPU's held locks straight, and
// the boot so far filled neither the table nor skipped a check.
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
    const u32 before = lock_debug::order_stats().edges;
    for (int i = 0; i < 3; ++i) {
        outer.lock();
        inner.lock();
        inner.unlock();
        outer.unlock();
    }
    KEXPECT(lock_debug::order_stats().edges == before + 1);
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
