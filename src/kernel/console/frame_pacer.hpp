// When a screen that draws slowly (the framebuffer) brings its pixels up to
// date with its text: at most once per frame while text keeps coming, so
// many lines between two presents cost one present, yet an isolated line
// after a quiet spell appears at once. Hardware-independent: the time is
// passed in (nanoseconds from kernel::time::now_ns; 0 means "no clock yet",
// and then every change is presented at once, as before batching).
#pragma once

#include "lib/ktl/types.hpp"

namespace kernel::console {

class FramePacer {
public:
    // 100 frames a second: the kernel's tick rate, so the tick's present
    // (kernel/time/tick.hpp) and a busy writer's keep the same pace.
    static constexpr u64 kFrameNs = 10'000'000;

    // The screen's text changed at `now_ns`: true when the writer should
    // present now (no clock, the first change ever, or a frame or more
    // since the last present), false to leave it for later.
    [[nodiscard]] bool changed(u64 now_ns) {
        pending_ = true;
        return now_ns == 0 || presents_ == 0 || now_ns - last_present_ns_ >= kFrameNs;
    }
    // The pixels were brought up to date at `now_ns`.
    void presented(u64 now_ns) {
        pending_ = false;
        last_present_ns_ = now_ns;
        ++presents_;
    }
    // Changes not yet presented.
    [[nodiscard]] bool pending() const { return pending_; }
    // Presents so far (a statistic: bench=console and the tests count them).
    [[nodiscard]] u64 presents() const { return presents_; }

private:
    u64 last_present_ns_ = 0;
    u64 presents_ = 0;
    bool pending_ = false;
};

}  // namespace kernel::console
