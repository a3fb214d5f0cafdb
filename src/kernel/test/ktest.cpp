#include "kernel/test/ktest.hpp"

#include "kernel/log/escape.hpp"
#include "kernel/log/log.hpp"
#include "kernel/test/close_names.hpp"
#include "kernel/test/selection.hpp"

// Bounds of the .ktest section (linker/kernel.ld).
extern "C" const kernel::test::TestCase __ktest_start[];
extern "C" const kernel::test::TestCase __ktest_end[];

namespace kernel::test {

void Context::fail(const char* expression, const char* file, u32 line) {
    ++failures_;
    log::info("    # FAILED: {} at {}:{}", expression, file, line);
}

namespace {

// Says that `prefix` selects nothing, and which test names look meant, in
// the syntax of where the selection came from (test=x on the command line,
// `test x` at the shell).
void report_no_match(ktl::string_view prefix, Origin origin) {
    const ktl::string_view how = origin == Origin::Shell ? "test " : "test=";
    // A prefix short of the slow tests' own ("smps") matches their names
    // but does not select them: say why rather than that nothing matches.
    for (const TestCase* t = __ktest_start; t != __ktest_end; ++t) {
        if (ktl::string_view(t->name).starts_with(prefix)) {
            log::info("# the tests starting with '{}' are slow: they run only as {}{}_",
                      ktl::string_view(t->name).substr(0, kSlowPrefix.size()), how, kSlowPrefix);
            return;
        }
    }
    constexpr usize kMaxNames = 256;
    ktl::string_view names[kMaxNames];
    usize count = 0;
    for (const TestCase* t = __ktest_start; t != __ktest_end && count < kMaxNames; ++t)
        names[count++] = t->name;
    ktl::string_view close[4];
    const usize found = close_names(prefix, {names, count}, close);
    // The prefix comes from the loader's command line: escaped, as in
    // boot_report.cpp, so a control byte cannot reach a terminal raw.
    char escaped[128];
    log::info("# no in-kernel test name starts with '{}' ({} tests exist)",
              log::escape_unprintable(prefix, escaped), count);
    for (usize i = 0; i < found; ++i) log::info("# did you mean {}{}?", how, close[i]);
}

// True when every prefix of `selection` selects at least one test; with
// `report`, each that selects none is reported. A selection with a typo in
// one of its prefixes runs nothing, rather than pass without the tests it
// meant.
bool every_prefix_selects(ktl::string_view selection, bool report, Origin origin) {
    Prefixes prefixes(selection);
    ktl::string_view prefix;
    bool all = true;
    while (prefixes.next(prefix)) {
        bool found = false;
        for (const TestCase* t = __ktest_start; t != __ktest_end && !found; ++t)
            found = prefix_selects(prefix, t->name);
        if (!found && report) report_no_match(prefix, origin);
        all = all && found;
    }
    return all;
}

}  // namespace

RunSummary run_tests(ktl::string_view selection, Origin origin) {
    u32 selected = 0;
    for (const TestCase* t = __ktest_start; t != __ktest_end; ++t)
        if (selects(selection, t->name)) ++selected;

    const bool complete = every_prefix_selects(selection, false, origin);
    if (!complete) selected = 0;

    log::info("KTAP version 1");
    log::info("1..{}", selected);
    if (!complete) every_prefix_selects(selection, true, origin);
    if (selected == 0) return {0, 0};
    RunSummary summary{0, 0};
    u32 number = 0;
    for (const TestCase* t = __ktest_start; t != __ktest_end; ++t) {
        if (!selects(selection, t->name)) continue;
        Context context(origin);
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
