#include "kernel/shell/commands/commands.hpp"
#include "kernel/time/wall_clock.hpp"

namespace kernel::shell::commands {

namespace {
Status run(Io& io, const Args& args) {
    if (args.count() > 1) return Status::Usage;
    const ktl::optional<time::DateTime> now = time::wall_clock_now();
    if (!now) {
        io.write("date: unknown (the battery-backed clock was not read at boot)\n");
        return Status::Failed;
    }
    io.print("{:04}-{:02}-{:02} {:02}:{:02}:{:02} UTC\n", now->year, now->month, now->day,
             now->hour, now->minute, now->second);
    return Status::Ok;
}
}  // namespace

const Command kDate{"date", "the date and time (UTC, from the CMOS clock read at boot)", "",
                    nullptr, run};

}  // namespace kernel::shell::commands
