#include "kernel/test/ktest.hpp"

#include "kernel/log/log.hpp"

// Bounds of the .ktest section (linker/kernel.ld).
extern "C" const kernel::test::TestCase __ktest_start[];
extern "C" const kernel::test::TestCase __ktest_end[];

namespace kernel::test {

void Context::fail(const char* expression, const char* file, u32 line) {
    ++failures_;
    log::info("    # FAILED: {} at {}:{}", expression, file, line);
}

RunSummary run_tests(ktl::string_view prefix) {
    u32 selected = 0;
    for (const TestCase* t = __ktest_start; t != __ktest_end; ++t)
        if (ktl::string_view(t->name).starts_with(prefix)) ++selected;

    log::info("KTAP version 1");
    log::info("1..{}", selected);
    RunSummary summary{0, 0};
    u32 number = 0;
    for (const TestCase* t = __ktest_start; t != __ktest_end; ++t) {
        if (!ktl::string_view(t->name).starts_with(prefix)) continue;
        Context context;
        t->run(context);
        ++number;
        if (context.failed()) {
            ++summary.failed;
            log::info("not ok {} {}", number, t->name);
        } else {
            ++summary.passed;
            log::info("ok {} {}", number, t->name);
        }
    }
    log::info("# {} passed, {} failed", summary.passed, summary.failed);
    return summary;
}

}  // namespace kernel::test
