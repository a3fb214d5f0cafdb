// `log`: the kernel log since boot, from the log's history (log.hpp);
// `log -f` then follows new lines until Ctrl-C.
#include "kernel/log/log.hpp"
#include "kernel/shell/commands/commands.hpp"

namespace kernel::shell::commands {

namespace {
// Writes the history from `from` on; returns the position after it.
u64 show(Io& io, u64 from) {
    char chunk[256];
    for (;;) {
        const log::HistoryRead r = log::read_history(from, {chunk, sizeof chunk});
        if (r.dropped != 0) io.print("[{} older bytes of the log were dropped]\n", r.dropped);
        if (r.size == 0) return r.next;
        io.write({chunk, r.size});
        from = r.next;
    }
}

Status run(Io& io, const Args& args) {
    const bool follow = args.count() == 2 && args[1] == "-f";
    if (args.count() > 2 || (args.count() == 2 && !follow)) return Status::Usage;
    // Up to where the log was when the command started: the command's own
    // output is not in the log, but a line logged meanwhile waits for -f.
    const u64 end = log::history_end();
    u64 at = 0;
    char chunk[256];
    while (at < end) {
        const usize want = end - at < sizeof chunk ? static_cast<usize>(end - at) : sizeof chunk;
        const log::HistoryRead r = log::read_history(at, {chunk, want});
        if (r.dropped != 0) io.print("[{} older bytes of the log were dropped]\n", r.dropped);
        if (r.size == 0) break;
        io.write({chunk, r.size});
        at = r.next;
    }
    if (!follow) return Status::Ok;
    io.write("[following the log; Ctrl-C stops]\n");
    while (!io.interrupted()) at = show(io, at);
    io.write("^C\n");
    return Status::Ok;
}
// Tab completes the one option.
ktl::span<const ktl::string_view> options() {
    static constexpr ktl::string_view kOptions[] = {"-f"};
    return {kOptions, 1};
}
}  // namespace

const Command kLog{"log", "the kernel log since boot; -f follows it (Ctrl-C stops)", "[-f]",
                   options, run};

}  // namespace kernel::shell::commands
