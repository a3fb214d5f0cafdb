#include "kernel/crash/crash.hpp"
#include "kernel/shell/commands/commands.hpp"

namespace kernel::shell::commands {

namespace {
constexpr usize kMaxKinds = 24;

ktl::span<const ktl::string_view> kinds() {
    static ktl::string_view names[kMaxKinds];
    usize count = 0;
    for (const crash::CrashTest& test : crash::crash_tests())
        if (count < kMaxKinds) names[count++] = test.name;
    return {names, count};
}

Status run(Io& io, const Args& args) {
    if (args.count() != 2) return Status::Usage;
    for (ktl::string_view kind : kinds()) {
        if (kind != args[1]) continue;
        crash::run(kind);  // does not return when the kernel catches the fault
        return Status::Failed;
    }
    io.print("crash: unknown kind '{}'\n", args[1]);
    return Status::Usage;
}
}  // namespace

const Command kCrash{"crash", "provoke a fault to see the kernel catch it", "<kind>", kinds, run};

}  // namespace kernel::shell::commands
