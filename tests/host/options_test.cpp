// Host tests for the kernel's typed options
// (src/kernel/options/kernel_options.hpp), parsed from whole command lines;
// the tokenizer under them is in cmdline_test.cpp.
#include <gtest/gtest.h>

#include <string>
#include <string_view>
#include <utility>

#include "kernel/options/kernel_options.hpp"

using kernel::cmdline::SyntaxError;

namespace {

std::string_view sv(ktl::string_view s) { return {s.data(), s.size()}; }
ktl::string_view ks(std::string_view s) { return {s.data(), s.size()}; }

struct Options {
    kernel::options::KernelOptions options;
    kernel::options::UnknownSink sink;
};

Options options(std::string_view line) {
    Options o;
    kernel::options::parse_options(ks(line), o.options, o.sink);
    return o;
}

}  // namespace

TEST(CmdlineOptions, Defaults) {
    Options o = options("");
    EXPECT_EQ(o.options.console, kernel::options::Console::Auto);
    EXPECT_EQ(o.options.log_level, kernel::options::LogLevel::Info);
    EXPECT_FALSE(o.options.run_tests);
    EXPECT_TRUE(o.options.test_name.empty());
    EXPECT_TRUE(o.options.crash.empty());
    EXPECT_FALSE(o.options.dump_mbi);
    EXPECT_TRUE(o.options.image_path.empty());
    EXPECT_TRUE(o.sink.empty());
}

TEST(CmdlineOptions, EveryKnownOption) {
    Options o = options("/boot/kernel.elf console=fb loglevel=warn crash=double-fault dump-mbi");
    EXPECT_TRUE(o.sink.empty());
    EXPECT_EQ(sv(o.options.image_path), "/boot/kernel.elf");
    EXPECT_EQ(o.options.console, kernel::options::Console::Framebuffer);
    EXPECT_EQ(o.options.log_level, kernel::options::LogLevel::Warn);
    EXPECT_FALSE(o.options.run_tests);
    EXPECT_EQ(sv(o.options.crash), "double-fault");
    EXPECT_TRUE(o.options.dump_mbi);
    Options t = options("test=pmm");
    EXPECT_TRUE(t.sink.empty());
    EXPECT_TRUE(t.options.run_tests);
    EXPECT_EQ(sv(t.options.test_name), "pmm");
}

// color=off turns COM1's colours off (NO_COLOR style); on is the default.
TEST(CmdlineOptions, SerialColor) {
    EXPECT_TRUE(options("").options.serial_color);
    EXPECT_FALSE(options("color=off").options.serial_color);
    EXPECT_TRUE(options("color=off color=on").options.serial_color);
    Options bad = options("color=blue color color=");
    EXPECT_TRUE(bad.options.serial_color);
    ASSERT_EQ(bad.sink.count, 3u);
    EXPECT_EQ(bad.sink.items[0].problem, kernel::options::OptionProblem::InvalidValue);
    EXPECT_EQ(bad.sink.items[1].problem, kernel::options::OptionProblem::MissingValue);
    EXPECT_EQ(bad.sink.items[2].problem, kernel::options::OptionProblem::MissingValue);
}

// bench=irq and bench=console run a benchmark (bench/README.md); the value names the
// benchmark, so a bare bench or an unknown name is refused in words.
TEST(CmdlineOptions, BenchIrq) {
    EXPECT_FALSE(options("").options.bench_irq);
    Options o = options("bench=irq");
    EXPECT_TRUE(o.sink.empty());
    EXPECT_TRUE(o.options.bench_irq);
    EXPECT_FALSE(o.options.bench_console);
    Options console = options("bench=console");
    EXPECT_TRUE(console.sink.empty());
    EXPECT_TRUE(console.options.bench_console);
    EXPECT_FALSE(console.options.bench_irq);
    Options bad = options("bench=disk bench bench=");
    EXPECT_FALSE(bad.options.bench_irq);
    EXPECT_FALSE(bad.options.bench_console);
    ASSERT_EQ(bad.sink.count, 3u);
    EXPECT_EQ(bad.sink.items[0].problem, kernel::options::OptionProblem::InvalidValue);
    EXPECT_EQ(bad.sink.items[1].problem, kernel::options::OptionProblem::MissingValue);
    EXPECT_EQ(bad.sink.items[2].problem, kernel::options::OptionProblem::MissingValue);
}

// bench=alloc runs the allocator benchmark; both may be given.
TEST(CmdlineOptions, BenchAlloc) {
    EXPECT_FALSE(options("").options.bench_alloc);
    Options o = options("bench=alloc");
    EXPECT_TRUE(o.sink.empty());
    EXPECT_TRUE(o.options.bench_alloc);
    EXPECT_FALSE(o.options.bench_irq);
    Options both = options("bench=irq bench=alloc");
    EXPECT_TRUE(both.options.bench_irq && both.options.bench_alloc);
    EXPECT_FALSE(options("bench=allocs").options.bench_alloc);
}

// bench=smp runs the cross-CPU benchmark, and only it.
TEST(CmdlineOptions, BenchSmp) {
    EXPECT_FALSE(options("").options.bench_smp);
    Options o = options("bench=smp");
    EXPECT_TRUE(o.sink.empty());
    EXPECT_TRUE(o.options.bench_smp);
    EXPECT_FALSE(o.options.bench_irq || o.options.bench_alloc || o.options.bench_console);
    EXPECT_FALSE(options("bench=smp4").options.bench_smp);
}

// fault= names a fault the boot must survive; an unknown name is refused
// and none is injected.
TEST(CmdlineOptions, Fault) {
    using kernel::options::Fault;
    EXPECT_EQ(options("").options.fault, Fault::None);
    Options slow = options("fault=ap-slow-start");
    EXPECT_TRUE(slow.sink.empty());
    EXPECT_EQ(slow.options.fault, Fault::ApSlowStart);
    EXPECT_EQ(options("fault=ap-stuck-start").options.fault, Fault::ApStuckStart);
    EXPECT_EQ(options("fault=ap-late-entry").options.fault, Fault::ApLateEntry);
    EXPECT_EQ(options("fault=ap-other-pat").options.fault, Fault::ApOtherPat);
    EXPECT_EQ(options("fault=percpu-memory").options.fault, Fault::PerCpuMemory);
    Options bad = options("fault=ap-slow");
    EXPECT_EQ(bad.options.fault, Fault::None);
    ASSERT_EQ(bad.sink.count, 1U);
    EXPECT_EQ(bad.sink.items[0].problem, kernel::options::OptionProblem::InvalidValue);
    EXPECT_EQ(options("fault=").sink.items[0].problem,
              kernel::options::OptionProblem::MissingValue);
}

// cpus=N: 1 to 256 CPUs, the boot CPU counted; anything else refused in
// words, and the default (0) starts every CPU.
TEST(CmdlineOptions, Cpus) {
    using kernel::options::OptionProblem;
    EXPECT_EQ(options("").options.cpus, 0U);
    for (const auto& [line, n] :
         {std::pair{"cpus=1", 1U}, std::pair{"cpus=2", 2U}, std::pair{"cpus=256", 256U},
          std::pair{"cpus=007", 7U}, std::pair{"cpus=8 cpus=3", 3U}}) {
        Options o = options(line);
        EXPECT_TRUE(o.sink.empty()) << line;
        EXPECT_EQ(o.options.cpus, n) << line;
    }
    for (const char* line :
         {"cpus=0", "cpus=257", "cpus=4294967297", "cpus=-1", "cpus=2x", "cpus=two"}) {
        Options o = options(line);
        EXPECT_EQ(o.options.cpus, 0U) << line;
        ASSERT_EQ(o.sink.count, 1U) << line;
        EXPECT_EQ(o.sink.items[0].problem, OptionProblem::InvalidValue) << line;
    }
    EXPECT_EQ(options("cpus=").sink.items[0].problem, OptionProblem::MissingValue);
    EXPECT_EQ(options("cpus").sink.items[0].problem, OptionProblem::MissingValue);
    // A range, in words, for the refusal's "(valid: 1 to 256)".
    EXPECT_EQ(sv(kernel::options::valid_value("cpus", 0)), "1 to 256");
    EXPECT_TRUE(kernel::options::valid_value("cpus", 1).empty());
}

// watchdog=off|<seconds>: 10 s by default, 1 to 60 in plain decimal; a
// refused value keeps the default and is named.
TEST(CmdlineOptions, Watchdog) {
    EXPECT_EQ(options("").options.watchdog_seconds, 10U);
    EXPECT_EQ(options("watchdog=off").options.watchdog_seconds, 0U);
    EXPECT_EQ(options("watchdog=1").options.watchdog_seconds, 1U);
    EXPECT_EQ(options("watchdog=60").options.watchdog_seconds, 60U);
    EXPECT_EQ(options("watchdog=060").options.watchdog_seconds, 60U);
    EXPECT_EQ(options("watchdog=off watchdog=5").options.watchdog_seconds, 5U);
    for (const char* line : {"watchdog=0", "watchdog=61", "watchdog=-1", "watchdog=5s",
                             "watchdog=on", "watchdog=99999999999999999999", "watchdog="}) {
        const Options bad = options(line);
        EXPECT_EQ(bad.options.watchdog_seconds, 10U) << line;
        ASSERT_EQ(bad.sink.count, 1U) << line;
    }
    const Options bad = options("watchdog=61");
    EXPECT_EQ(bad.sink.items[0].problem, kernel::options::OptionProblem::InvalidValue);
    EXPECT_EQ(sv(bad.sink.items[0].text), "watchdog=61");
    EXPECT_EQ(options("watchdog").sink.items[0].problem,
              kernel::options::OptionProblem::MissingValue);
    EXPECT_EQ(sv(kernel::options::valid_value("watchdog", 0)), "off");
    EXPECT_EQ(sv(kernel::options::valid_value("watchdog", 1)), "1 to 60 (seconds)");
    EXPECT_TRUE(kernel::options::valid_value("watchdog", 2).empty());
}

// The values a refusal lists are the ones the parser takes: each parses
// without a problem, and the lists are complete where they are fixed.
TEST(CmdlineOptions, ValidValuesParse) {
    using kernel::options::valid_value;
    for (const char* key : {"console", "loglevel", "fault", "bench", "color", "input", "reboot"}) {
        usize n = 0;
        for (; !valid_value(key, n).empty(); ++n) {
            const std::string line = std::string(key) + "=" + std::string(sv(valid_value(key, n)));
            EXPECT_TRUE(options(line).sink.empty()) << line;
        }
        EXPECT_GT(n, 0U) << key;
    }
    EXPECT_EQ(sv(valid_value("fault", 2)), "ap-late-entry");
    EXPECT_EQ(sv(valid_value("fault", 3)), "ap-other-pat");
    EXPECT_EQ(sv(valid_value("fault", 4)), "percpu-memory");
    EXPECT_TRUE(valid_value("fault", 5).empty());
    EXPECT_EQ(sv(valid_value("reboot", 3)), "triple");
    EXPECT_TRUE(valid_value("crash", 0).empty());
    EXPECT_TRUE(valid_value("nosuch", 0).empty());
}

// test exits QEMU when the tests end: a crash= beside it could never run.
// Refused by name, whichever comes first; the tests still run.
TEST(CmdlineOptions, TestAndCrashConflict) {
    for (const char* line : {"test crash=null-deref", "crash=null-deref test=paging"}) {
        Options o = options(line);
        EXPECT_TRUE(o.options.run_tests) << line;
        EXPECT_TRUE(o.options.crash.empty()) << line;
        ASSERT_EQ(o.sink.count, 1u) << line;
        EXPECT_EQ(o.sink.items[0].problem, kernel::options::OptionProblem::Conflicting);
        EXPECT_EQ(sv(o.sink.items[0].text), "crash=null-deref");
    }
    EXPECT_NE(sv(kernel::options::describe(kernel::options::OptionProblem::Conflicting))
                  .find("never run"),
              std::string::npos);
}

TEST(CmdlineOptions, ConsoleAndLogLevelSpellings) {
    const std::pair<const char*, kernel::options::Console> consoles[] = {
        {"console=vga", kernel::options::Console::Vga},
        {"console=fb", kernel::options::Console::Framebuffer},
        {"console=serial", kernel::options::Console::Serial},
        {"console=auto", kernel::options::Console::Auto}};
    for (const auto& [line, console] : consoles) {
        Options o = options(line);
        EXPECT_EQ(o.options.console, console) << line;
        EXPECT_EQ("console=" + std::string(sv(kernel::options::name(console))), line);
    }
    const std::pair<const char*, kernel::options::LogLevel> levels[] = {
        {"loglevel=debug", kernel::options::LogLevel::Debug},
        {"loglevel=info", kernel::options::LogLevel::Info},
        {"loglevel=warn", kernel::options::LogLevel::Warn},
        {"loglevel=error", kernel::options::LogLevel::Error}};
    for (const auto& [line, level] : levels) {
        EXPECT_EQ(options(line).options.log_level, level) << line;
        EXPECT_EQ("loglevel=" + std::string(sv(kernel::options::name(level))), line);
    }
}

TEST(CmdlineOptions, BareTestRunsEverything) {
    Options o = options("test");
    EXPECT_TRUE(o.options.run_tests);
    EXPECT_TRUE(o.options.test_name.empty());
    EXPECT_TRUE(o.sink.empty());
    // Later options win.
    Options later = options("test=a test");
    EXPECT_TRUE(later.options.test_name.empty());
    Options named = options("test test=\"slab alloc\"");
    EXPECT_EQ(sv(named.options.test_name), "slab alloc");
}

TEST(CmdlineOptions, GrubStyleLine) {
    Options o = options(R"(/boot/kernel "test=a b" console=serial)");
    EXPECT_TRUE(o.sink.empty());
    EXPECT_EQ(sv(o.options.test_name), "a b");
    EXPECT_EQ(o.options.console, kernel::options::Console::Serial);
    Options device = options("(hd0,gpt2)/boot/kernel dump-mbi");
    EXPECT_EQ(sv(device.options.image_path), "(hd0,gpt2)/boot/kernel");
    EXPECT_TRUE(device.sink.empty());
}

TEST(CmdlineOptions, PathIsOnlyRecognisedFirst) {
    Options o = options("test /boot/kernel");
    ASSERT_EQ(o.sink.count, 1u);
    EXPECT_EQ(o.sink.items[0].problem, kernel::options::OptionProblem::UnknownOption);
    EXPECT_EQ(sv(o.sink.items[0].key), "/boot/kernel");
    EXPECT_TRUE(o.options.image_path.empty());
}

TEST(CmdlineOptions, ProblemsAreCollected) {
    Options o = options("console=hdmi loglevel foo=bar crash crash= test= dump-mbi=1 =x verbose");
    EXPECT_EQ(o.options.console, kernel::options::Console::Auto);  // Invalid values change nothing.
    EXPECT_FALSE(o.options.run_tests);
    EXPECT_FALSE(o.options.dump_mbi);
    ASSERT_EQ(o.sink.count, 9u);
    const auto& items = o.sink.items;
    EXPECT_EQ(items[0].problem, kernel::options::OptionProblem::InvalidValue);
    EXPECT_EQ(sv(items[0].key), "console");
    EXPECT_EQ(sv(items[0].value), "hdmi");
    EXPECT_EQ(items[1].problem, kernel::options::OptionProblem::MissingValue);
    EXPECT_EQ(sv(items[1].key), "loglevel");
    EXPECT_EQ(items[2].problem, kernel::options::OptionProblem::UnknownOption);
    EXPECT_EQ(sv(items[2].key), "foo");
    EXPECT_EQ(sv(items[2].text), "foo=bar");
    EXPECT_EQ(items[3].problem, kernel::options::OptionProblem::MissingValue);
    EXPECT_EQ(items[4].problem, kernel::options::OptionProblem::MissingValue);
    EXPECT_EQ(items[5].problem, kernel::options::OptionProblem::MissingValue);
    EXPECT_EQ(sv(items[5].key), "test");
    EXPECT_EQ(items[6].problem, kernel::options::OptionProblem::UnexpectedValue);
    EXPECT_EQ(items[7].problem, kernel::options::OptionProblem::Malformed);
    EXPECT_EQ(items[7].syntax, SyntaxError::EmptyKey);
    EXPECT_EQ(sv(items[7].text), "=x");
    EXPECT_EQ(items[8].problem, kernel::options::OptionProblem::UnknownOption);
    EXPECT_EQ(sv(kernel::options::describe(items[2].problem)), "unknown option");
}

TEST(CmdlineOptions, SinkOverflowIsCounted) {
    std::string line;
    for (int i = 0; i < 20; ++i) line += "unknown" + std::to_string(i) + " ";
    Options o = options(line);
    EXPECT_EQ(o.sink.count, kernel::options::UnknownSink::kCapacity);
    EXPECT_EQ(o.sink.dropped, 20u - kernel::options::UnknownSink::kCapacity);
    EXPECT_EQ(o.sink.list().size(), kernel::options::UnknownSink::kCapacity);
    EXPECT_EQ(sv(o.sink.items[0].key), "unknown0");
}

TEST(CmdlineOptions, UnterminatedQuoteIsReported) {
    Options o = options("console=serial crash=\"never closed");
    EXPECT_EQ(o.options.console, kernel::options::Console::Serial);
    EXPECT_TRUE(o.options.crash.empty());
    ASSERT_EQ(o.sink.count, 1u);
    EXPECT_EQ(o.sink.items[0].problem, kernel::options::OptionProblem::Malformed);
    EXPECT_EQ(o.sink.items[0].syntax, SyntaxError::UnterminatedQuote);
}

TEST(CmdlineOptions, DescribeProblems) {
    for (auto p :
         {kernel::options::OptionProblem::Malformed, kernel::options::OptionProblem::UnknownOption,
          kernel::options::OptionProblem::InvalidValue,
          kernel::options::OptionProblem::MissingValue,
          kernel::options::OptionProblem::UnexpectedValue})
        EXPECT_FALSE(kernel::options::describe(p).empty());
}
