#include "kernel/time/reference.hpp"

#include "kernel/time/clock.hpp"
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
    return ticks_to_us((end - start) & counter_mask(counter.bits), counter.hz);
}

}  // namespace kernel::time
