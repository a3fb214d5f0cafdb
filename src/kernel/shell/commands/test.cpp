#include "kernel/shell/commands/commands.hpp"
#include "kernel/test/ktest.hpp"

namespace kernel::shell::commands {

namespace {
// The tests report in KTAP through the log, so both sides see them.
Status run(Io& io, const Args& args) {
    if (args.count() > 2) return Status::Usage;
    const test::RunSummary s = test::run_tests(args[1], test::Origin::Shell);
    io.print("test: {} passed, {} failed\n", s.passed, s.failed);
    return s.failed == 0 ? Status::Ok : Status::Failed;
}
}  // namespace

const Command kTest{"test", "run the in-kernel tests (those whose name starts with a prefix)",
                    "[prefix[,prefix...]]", nullptr, run};

}  // namespace kernel::shell::commands
