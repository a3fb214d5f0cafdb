#include "kernel/time/reference.hpp"

#include "kernel/time/sampled_window.hpp"

namespace kernel::time {

namespace {

ReferenceCounter g_reference{};
bool g_set = false;

}  // namespace

void set_reference_counter(const ReferenceCounter& counter) {
    if (g_set || counter.read == nullptr || counter.hz == 0) return;
    g_reference = counter;
    g_set = true;
}

const ReferenceCounter* reference_counter() { return g_set ? &g_reference : nullptr; }

u64 reference_elapsed_us(const ReferenceCounter& counter, u64 start, u64 end) {
    const u64 ticks = (end - start) & counter_mask(counter.bits);
    // Split so that ticks * 10^6 cannot overflow.
    return ticks / counter.hz * 1'000'000 + ticks % counter.hz * 1'000'000 / counter.hz;
}

}  // namespace kernel::time
