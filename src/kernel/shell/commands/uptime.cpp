#include "arch/arch.hpp"
#include "kernel/shell/commands/commands.hpp"

namespace kernel::shell::commands {

namespace {
Status run(Io& io, const Args& args) {
    if (args.count() > 1) return Status::Usage;
    const u64 us = arch::microseconds_since_boot();
    if (us == 0) {
        io.write("uptime: unknown (the TSC's rate could not be measured)\n");
        return Status::Failed;
    }
    const u64 s = us / 1'000'000;
    io.print("up {}:{:02}:{:02}.{:03} ({} us since boot)\n", s / 3600, s / 60 % 60, s % 60,
             us / 1000 % 1000, us);
    return Status::Ok;
}
}  // namespace

const Command kUptime{"uptime", "time since boot (from the TSC)", "", nullptr, run};

}  // namespace kernel::shell::commands
