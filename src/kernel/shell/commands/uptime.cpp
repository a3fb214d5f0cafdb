#include "kernel/shell/commands/commands.hpp"
#include "kernel/time/clock.hpp"

namespace kernel::shell::commands {

namespace {
Status run(Io& io, const Args& args) {
    if (args.count() > 1) return Status::Usage;
    if (!time::clock_running()) {
        io.write("uptime: unknown (the monotonic clock's rate could not be measured)\n");
        return Status::Failed;
    }
    const u64 us = time::now_ns() / 1000;
    const u64 s = us / 1'000'000;
    io.print("up {}:{:02}:{:02}.{:03} ({} us since boot)\n", s / 3600, s / 60 % 60, s % 60,
             us / 1000 % 1000, us);
    return Status::Ok;
}
}  // namespace

const Command kUptime{"uptime", "time since boot (the monotonic clock)", "", nullptr, run};

}  // namespace kernel::shell::commands
