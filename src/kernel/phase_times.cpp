#include "kernel/phase_times.hpp"

#include "kernel/time/clock.hpp"
#include "lib/format/format.hpp"

namespace kernel {

namespace {

constexpr usize kPhases = static_cast<usize>(Phase::Count);

}  // namespace

void write_phase_times(kfmt::Sink& out, const PhaseStarts& starts, u64 boot, u64 end, u64 hz) {
    if (hz == 0) return;
    // Phase indices in order of their start: a handful, so a selection sort.
    usize order[kPhases];
    usize count = 0;
    for (usize i = 0; i < kPhases; ++i)
        if (starts.start[i] != 0) order[count++] = i;
    for (usize i = 0; i < count; ++i)
        for (usize j = i + 1; j < count; ++j)
            if (starts.start[order[j]] < starts.start[order[i]]) {
                const usize t = order[i];
                order[i] = order[j];
                order[j] = t;
            }

    const auto span = [&](u64 from, u64 to) {
        return to > from ? time::ticks_to_us(to - from, hz) : 0;
    };
    const u64 first = count != 0 ? starts.start[order[0]] : end;
    kfmt::format_to(out, "trampoline {} us", span(boot, first));
    for (usize i = 0; i < count; ++i) {
        const u64 from = starts.start[order[i]];
        const u64 to = i + 1 < count ? starts.start[order[i + 1]] : end;
        kfmt::format_to(out, ", {} {} us", phase_name(static_cast<Phase>(order[i])),
                        span(from, to));
    }
}

}  // namespace kernel
