#include "init/bench_smp.hpp"

#include "arch/arch.hpp"
#include "arch/setup.hpp"
#include "kernel/bench/samples.hpp"
#include "kernel/log/log.hpp"
#include "kernel/smp/call.hpp"
#include "kernel/smp/cpu.hpp"
#include "kernel/sync/spinlock.hpp"

namespace init {
namespace {

namespace log = kernel::log;
namespace smp = kernel::smp;

constexpr u32 kCalls = 1000;
constexpr u32 kBroadcasts = 200;
// Lock-unlock pairs per participating CPU per run. Under TCG a hand-off
// between vCPUs waits for a host thread, so kept small.
constexpr u64 kPairs = 5'000;
constexpr usize kRuns = 3;

u64 ns(u64 ticks) { return ticks * 1'000'000'000 / arch::timestamp_rate(); }

void nothing(void* /*unused*/) {}

// Cross-CPU call round trips from the boot CPU: to CPU 1 alone, then to
// every CPU at once (call_on_all, the caller's own share included).
void calls() {
    u64 samples[kCalls];
    for (u64& sample : samples) {
        const u64 start = arch::read_timestamp();
        smp::call_on(1, nothing, nullptr);
        sample = ns(arch::read_timestamp() - start);
    }
    const kernel::bench::Spread one = kernel::bench::spread(samples);
    log::info("bench: smp call round trip to CPU 1: min {} ns, median {} ns ({} calls)", one.min,
              one.median, kCalls);
    for (u32 i = 0; i < kBroadcasts; ++i) {
        const u64 start = arch::read_timestamp();
        smp::call_on_all(nothing, nullptr);
        samples[i] = ns(arch::read_timestamp() - start);
    }
    const kernel::bench::Spread all = kernel::bench::spread({samples, kBroadcasts});
    log::info("bench: smp call to all {} CPUs: min {} ns, median {} ns ({} calls)",
              smp::online_count(), all.min, all.median, kBroadcasts);
}

// One spinlock run: the CPUs with an index below `cpus` each take and
// release the lock kPairs times, incrementing a shared counter inside it;
// the others return at once. Its duration runs from the first CPU's start
// to the last one's end.
struct LockRun {
    kernel::Spinlock lock;
    u32 cpus = 0;
    u64 counter = 0;
    u64 start[arch::kMaxCpus] = {};
    u64 end[arch::kMaxCpus] = {};
};

void hammer(void* argument) {
    LockRun& run = *static_cast<LockRun*>(argument);
    if (smp::this_cpu().index >= run.cpus) return;
    const u32 self = smp::this_cpu().index;
    run.start[self] = arch::read_timestamp();
    for (u64 i = 0; i < kPairs; ++i) {
        run.lock.lock();
        ++run.counter;
        run.lock.unlock();
    }
    run.end[self] = arch::read_timestamp();
}

// Pairs per second over kRuns runs with `cpus` CPUs taking part (median);
// 0 when a run lost a count, which would be a broken lock.
u64 lock_throughput(u32 cpus) {
    u64 rates[kRuns];
    for (u64& rate : rates) {
        // Static: 256 CPUs' timestamps (4 KiB) would crowd kernel_main's
        // stack; one run at a time, the lock free between them.
        static LockRun run;
        run.cpus = cpus;
        run.counter = 0;
        for (u32 i = 0; i < arch::kMaxCpus; ++i) run.start[i] = run.end[i] = 0;
        if (cpus == 1)
            hammer(&run);
        else
            smp::call_on_all(hammer, &run);
        if (run.counter != kPairs * cpus) {
            log::error("bench: smp spinlock, {} CPUs: {} increments of {}: the lock lost some",
                       cpus, run.counter, kPairs * cpus);
            return 0;
        }
        u64 first = ~u64{0};
        u64 last = 0;
        for (u32 i = 0; i < cpus; ++i) {
            first = run.start[i] < first ? run.start[i] : first;
            last = run.end[i] > last ? run.end[i] : last;
        }
        const u64 elapsed = ns(last - first);
        rate = elapsed == 0 ? 0 : run.counter * 1'000'000'000 / elapsed;
    }
    return kernel::bench::spread(rates).median;
}

#if KEEL_DEBUG_LOCKS
// The lock-order check's cost (kernel/sync/lock_order.hpp), in this boot:
// an outer and an inner lock taken and released, kPairs times, with the
// check off, then on (the order then known: what every later nested
// lock() pays). Nested pairs per second, median of kRuns each.
u64 nested_throughput() {
    u64 rates[kRuns];
    kernel::Spinlock outer;
    kernel::Spinlock inner;
    for (u64& rate : rates) {
        const u64 start = arch::read_timestamp();
        for (u64 i = 0; i < kPairs; ++i) {
            outer.lock();
            inner.lock();
            inner.unlock();
            outer.unlock();
        }
        const u64 elapsed = ns(arch::read_timestamp() - start);
        rate = elapsed == 0 ? 0 : kPairs * 1'000'000'000 / elapsed;
    }
    return kernel::bench::spread(rates).median;
}
void order_check_cost() {
    kernel::lock_debug::set_order_checking(false);
    const u64 off = nested_throughput();
    kernel::lock_debug::set_order_checking(true);
    const u64 on = nested_throughput();
    const u64 ratio = kernel::bench::ratio_hundredths(on, off);
    log::info(
        "bench: smp nested locks, 1 CPU: order check off {} pairs/s, on {} pairs/s ({}.{:02}x)",
        off, on, ratio / 100, ratio % 100);
}
#endif

void locks() {
#if KEEL_DEBUG_LOCKS
    order_check_cost();
#endif
    const u64 baseline = lock_throughput(1);
    log::info("bench: smp spinlock, 1 CPU: {} lock-unlock pairs/s (median of {} runs)", baseline,
              kRuns);
    for (u32 cpus = 2; cpus <= smp::online_count(); cpus *= 2) {
        const u64 rate = lock_throughput(cpus);
        const u64 ratio = kernel::bench::ratio_hundredths(rate, baseline);
        log::info("bench: smp spinlock, {} CPUs: {} lock-unlock pairs/s ({}.{:02}x 1 CPU)", cpus,
                  rate, ratio / 100, ratio % 100);
    }
}

}  // namespace

void run_smp_bench() {
    if (arch::timestamp_rate() == 0) {
        log::warn("bench: smp not run: the TSC's rate is unknown, so nothing can be timed");
        return;
    }
    const u32 cpus = smp::online_count();
    if (cpus < 2)
        log::warn("bench: smp: one CPU online, so only the spinlock's baseline (boot with -smp 4)");
    else
        calls();
    locks();
    log::info("bench: smp done ({} CPU{})", cpus, cpus == 1 ? "" : "s");
}

}  // namespace init
