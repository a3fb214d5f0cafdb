#include "kernel/time/wall_clock.hpp"

#include "kernel/time/clock.hpp"

namespace kernel::time {

namespace {

u64 g_base_seconds = 0;
u64 g_base_ns = 0;
bool g_set = false;  // published with release after the two above

}  // namespace

void set_wall_clock(const DateTime& at, u64 at_ns) {
    if (!valid(at)) return;
    g_base_seconds = to_unix_seconds(at);
    g_base_ns = at_ns;
    __atomic_store_n(&g_set, true, __ATOMIC_RELEASE);
}

ktl::optional<u64> wall_clock_seconds() {
    if (!__atomic_load_n(&g_set, __ATOMIC_ACQUIRE)) return ktl::nullopt;
    const u64 now = now_ns();
    const u64 elapsed = now > g_base_ns ? now - g_base_ns : 0;
    return g_base_seconds + elapsed / kNanosecondsPerSecond;
}

ktl::optional<DateTime> wall_clock_now() {
    const ktl::optional<u64> seconds = wall_clock_seconds();
    if (!seconds) return ktl::nullopt;
    return from_unix_seconds(*seconds);
}

}  // namespace kernel::time
