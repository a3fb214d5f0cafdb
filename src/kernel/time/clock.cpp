#include "kernel/time/clock.hpp"

namespace kernel::time {

namespace {

// Written by start_clock before `g_running` is published (release), read
// after it is seen (acquire): no reader sees half a clock.
u64 (*g_read)() = nullptr;
u64 g_origin = 0;
u64 g_hz = 0;
Scale g_scale{0, 0};
bool g_running = false;
// keep_monotonic_across_cpus: whether to clamp, and the largest result yet.
bool g_clamp = false;
u64 g_last_ns = 0;

}  // namespace

Scale scale_for(u64 hz) {
    if (hz == 0) return {0, 0};
    // The largest shift that keeps mult below 2^32: the most precision the
    // split multiplication in to_ns can carry.
    u32 shift = 32;
    while (shift > 0 && (kNanosecondsPerSecond << shift) / hz >= (1ULL << 32)) --shift;
    return {(kNanosecondsPerSecond << shift) / hz, shift};
}

u64 to_ns(u64 ticks, Scale scale) {
    // ticks = hi * 2^32 + lo; lo * mult < 2^64 since both are below 2^32,
    // and (hi * mult) << (32 - shift) is the integer part of the result.
    const u64 hi = ticks >> 32;
    const u64 lo = ticks & 0xFFFF'FFFFULL;
    return ((hi * scale.mult) << (32 - scale.shift)) + ((lo * scale.mult) >> scale.shift);
}

void start_clock(u64 (*read_counter)(), u64 origin, u64 hz) {
    if (read_counter == nullptr || hz == 0) return;
    g_read = read_counter;
    g_origin = origin;
    g_hz = hz;
    g_scale = scale_for(hz);
    __atomic_store_n(&g_running, true, __ATOMIC_RELEASE);
}

bool clock_running() { return __atomic_load_n(&g_running, __ATOMIC_ACQUIRE); }

u64 now_ns() {
    if (!clock_running()) return 0;
    const u64 now = g_read();
    // A counter read before the origin (another CPU's, slightly behind)
    // reads as the boot's first nanosecond, never as 584 years.
    const u64 ns = now > g_origin ? to_ns(now - g_origin, g_scale) : 0;
    if (!__atomic_load_n(&g_clamp, __ATOMIC_RELAXED)) return ns;
    // Relaxed is enough: all CPUs see the writes of this one variable in one
    // order, so a call that starts after another returned reads at least the
    // value that one left.
    u64 last = __atomic_load_n(&g_last_ns, __ATOMIC_RELAXED);
    while (ns > last) {
        if (__atomic_compare_exchange_n(&g_last_ns, &last, ns, true, __ATOMIC_RELAXED,
                                        __ATOMIC_RELAXED))
            return ns;
    }
    return last;
}

void keep_monotonic_across_cpus(bool on) { __atomic_store_n(&g_clamp, on, __ATOMIC_RELAXED); }

u64 counter_hz() { return clock_running() ? g_hz : 0; }

}  // namespace kernel::time
