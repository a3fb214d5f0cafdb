#include "kernel/watchdog/heartbeat.hpp"

namespace kernel::watchdog {

u32 watched_by(u32 self, u32 online) {
    if (online < 2 || self >= online) return kNoCpu;
    return self + 1 == online ? 0 : self + 1;
}

bool QuietCounter::observe(u64 heartbeat, bool eligible, u32 limit) {
    if (!eligible || !primed_ || heartbeat != last_) {
        last_ = heartbeat;
        quiet_ = 0;
        primed_ = eligible;
        return false;
    }
    if (quiet_ < limit) ++quiet_;
    return quiet_ >= limit;
}

void Watch::restart(u32 target) {
    target_ = target;
    quiet_.restart();
    asked_ = false;
    waited_ = 0;
}

Verdict Watch::check(u32 target, const Seen& seen, u32 limit) {
    // A new target (CPUs came online), or one answered "not stuck".
    if (target != target_ || (asked_ && seen.answers != answers_at_ask_)) restart(target);
    if (!quiet_.observe(seen.heartbeat, seen.eligible, limit)) {
        asked_ = false;
        waited_ = 0;
        return Verdict::Alive;
    }
    if (!asked_) {
        asked_ = true;
        answers_at_ask_ = seen.answers;
        waited_ = 0;
        return Verdict::AskToReport;
    }
    return ++waited_ >= limit ? Verdict::Unanswered : Verdict::Alive;
}

}  // namespace kernel::watchdog
