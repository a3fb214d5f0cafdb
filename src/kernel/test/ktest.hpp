// In-kernel tests, reported in KTAP (the kernel's test output format:
// https://docs.kernel.org/dev-tools/ktap.html) on every log sink.
//
//   KTEST(tsc_is_calibrated) {
//       KEXPECT(arch::tsc::hz() > 0);
//   }
//
// Each KTEST places a descriptor in the .ktest section (linker/kernel.ld);
// the `test` command-line option runs them all, `test=<prefix>` a subset
// (the shell's `test [prefix]` likewise); tests named smpslow_* run only
// when the prefix names them (kernel/test/selection.hpp).
#pragma once

#include "lib/format/format.hpp"
#include "lib/ktl/string_view.hpp"

namespace kernel::test {

// Who started the run: the boot command line (`test`, then the kernel
// exits) or the shell's `test` command (the kernel lives on). A test that
// checks what the loader passed needs to know.
enum class Origin : u8 { CommandLine, Shell };

class Context {
public:
    explicit Context(Origin origin) : origin_(origin) {}
    [[nodiscard]] Origin origin() const { return origin_; }
    void fail(const char* expression, const char* file, u32 line);
    [[nodiscard]] bool failed() const { return failures_ != 0; }

private:
    Origin origin_;
    u32 failures_ = 0;
};

struct TestCase {
    const char* name;
    void (*run)(Context&);
};

struct RunSummary {
    u32 passed;
    u32 failed;
};

// Runs every test whose name starts with one of the selection's
// comma-separated prefixes (all when there is none) but the slow ones,
// which only a prefix naming them runs (kernel/test/selection.hpp). When a
// prefix selects no test, it is reported and nothing runs.
RunSummary run_tests(ktl::string_view selection, Origin origin);

}  // namespace kernel::test

#define KTEST(test_name)                                                                         \
    static void ktest_##test_name(::kernel::test::Context&);                                     \
    [[gnu::used,                                                                                 \
      gnu::section(".ktest")]] static constexpr ::kernel::test::TestCase ktest_case_##test_name{ \
        #test_name, ktest_##test_name};                                                          \
    static void ktest_##test_name([[maybe_unused]] ::kernel::test::Context& ktest_context)

// Records a failure (with the expression and location) and goes on.
#define KEXPECT(condition)                                                    \
    do {                                                                      \
        if (!(condition)) ktest_context.fail(#condition, __FILE__, __LINE__); \
    } while (0)
