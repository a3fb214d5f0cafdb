#include "kernel/smp/tsc_sync.hpp"

#include "arch/arch.hpp"
#include "kernel/smp/call.hpp"
#include "kernel/smp/cpu.hpp"
#include "kernel/time/clock.hpp"

namespace kernel::smp {

namespace {

// The one shared cache line. `turn` says whose move it is: 2r + 1 the
// other CPU's in round r, 2r + 2 the boot CPU's again; `reading` is the
// other CPU's counter. Owned by the check in progress (one at a time, on
// the boot CPU); both sides write it in turn, ordered by `turn`.
struct alignas(64) Exchange {
    u32 turn;
    u64 reading;
};
Exchange g_exchange;

struct Check {
    u32 index;
    TscRound rounds[kTscRounds];
    u32 done;  // rounds completed
};

bool wait_for_turn(u32 turn) {
    arch::Timeout timeout(kTscRoundTimeoutUs);
    while (__atomic_load_n(&g_exchange.turn, __ATOMIC_ACQUIRE) != turn) {
        if (timeout.expired()) return false;
        arch::pause();
    }
    return true;
}

void reference_side(Check& c) {
    for (u32 r = 0; r < kTscRounds; ++r) {
        const u64 before = arch::read_timestamp_ordered();
        __atomic_store_n(&g_exchange.turn, 2 * r + 1, __ATOMIC_RELEASE);
        if (!wait_for_turn(2 * r + 2)) return;
        const u64 other = __atomic_load_n(&g_exchange.reading, __ATOMIC_RELAXED);
        const u64 after = arch::read_timestamp_ordered();
        c.rounds[r] = {before, other, after};
        c.done = r + 1;
    }
}

void answering_side() {
    for (u32 r = 0; r < kTscRounds; ++r) {
        if (!wait_for_turn(2 * r + 1)) return;
        __atomic_store_n(&g_exchange.reading, arch::read_timestamp_ordered(), __ATOMIC_RELAXED);
        __atomic_store_n(&g_exchange.turn, 2 * r + 2, __ATOMIC_RELEASE);
    }
}

void exchange(void* arg) {
    auto& c = *static_cast<Check*>(arg);
    const u32 self = this_cpu().index;
    if (self == 0)
        reference_side(c);
    else if (self == c.index)
        answering_side();
}

}  // namespace

TscSkew check_tsc(u32 index) {
    Check c{};
    c.index = index;
    // Reset before the call reaches the other CPU: it waits for turn 1.
    __atomic_store_n(&g_exchange.turn, 0, __ATOMIC_RELAXED);
    call_with(index, exchange, &c);
    if (c.done < kTscRounds) return TscSkew{};  // it stopped answering: nothing measured
    const u64 bound = time::counter_hz() / (time::kNanosecondsPerSecond / kTscSkewBoundNs);
    return estimate_skew({c.rounds, c.done}, bound);
}

}  // namespace kernel::smp
