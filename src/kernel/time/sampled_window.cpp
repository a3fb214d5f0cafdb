#include "kernel/time/sampled_window.hpp"

namespace kernel::time {

Window window_between(const Sample& first, const Sample& second, u64 mask) {
    const u64 reference_ticks = (second.reference - first.reference) & mask;
    if (reference_ticks == 0 || first.before > first.after || second.before > second.after ||
        second.before < first.after)
        return {0, 0, reference_ticks};
    return {second.before - first.after, second.after - first.before, reference_ticks};
}

}  // namespace kernel::time
