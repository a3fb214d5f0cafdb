// kernel::log with threads: every line reaches a sink whole, and a panic
// gets its message out even when the log's lock is never released.
#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <map>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "arch/arch.hpp"
#include "kernel/log/log.hpp"

namespace {

namespace log = kernel::log;

// Collects everything written. Each write() is atomic on its own (the
// sink's mutex), so a line the log writes in pieces can only come out
// broken if the log lets another writer in between its pieces.
class FakeSink final : public log::Sink {
public:
    void write(ktl::string_view text) override {
        if (!arch::interrupts_enabled()) ++writes_with_interrupts_off;
        ++writes;
        if (block_next) {
            block_next = false;
            in_write = true;
            while (!release) std::this_thread::yield();
        }
        {
            const std::lock_guard<std::mutex> hold(mutex_);
            text_.append(text.data(), text.size());
        }
        std::this_thread::yield();  // let another writer in, if it can get in
    }
    void begin_panic() override { ++panics; }

    std::string text() {
        const std::lock_guard<std::mutex> hold(mutex_);
        return text_;
    }

    std::atomic<u64> writes{0}, writes_with_interrupts_off{0}, panics{0};
    std::atomic<bool> block_next{false}, in_write{false}, release{false};

private:
    std::mutex mutex_;
    std::string text_;
};

// Registers a sink for one test and leaves the log as it found it.
class LogTest : public ::testing::Test {
protected:
    void SetUp() override { log::add_sink(sink); }
    void TearDown() override {
        sink.release = true;
        log::remove_sink(sink);
        log::detail::reset_for_tests();
        log::set_level(log::Level::Info);
    }
    FakeSink sink;
};

std::vector<std::string> lines_of(const std::string& text) {
    std::vector<std::string> lines;
    size_t start = 0;
    for (size_t end; (end = text.find('\n', start)) != std::string::npos; start = end + 1)
        lines.push_back(text.substr(start, end - start));
    EXPECT_EQ(start, text.size()) << "text after the last newline";
    return lines;
}

TEST_F(LogTest, LinesFromManyThreadsArriveWhole) {
    constexpr int kThreads = 4;
    constexpr int kLines = 300;
    std::vector<std::thread> threads;
    for (int t = 0; t < kThreads; ++t) {
        threads.emplace_back([t] {
            for (int i = 0; i < kLines; ++i) {
                if (i % 2 == 0)
                    log::info("thread {} line {} {}", t, i, "abcdefghijklmnopqrstuvwxyz");
                else
                    log::warn("thread {} line {} {}", t, i, "0123456789");
            }
        });
    }
    for (std::thread& thread : threads) thread.join();

    const std::vector<std::string> lines = lines_of(sink.text());
    ASSERT_EQ(lines.size(), size_t{kThreads} * kLines);
    std::map<std::string, int> seen;
    for (const std::string& line : lines) ++seen[line];
    for (int t = 0; t < kThreads; ++t) {
        for (int i = 0; i < kLines; ++i) {
            const std::string expected = i % 2 == 0
                                             ? "thread " + std::to_string(t) + " line " +
                                                   std::to_string(i) + " abcdefghijklmnopqrstuvwxyz"
                                             : "warning: thread " + std::to_string(t) + " line " +
                                                   std::to_string(i) + " 0123456789";
            EXPECT_EQ(seen[expected], 1) << expected;
        }
    }
}

TEST_F(LogTest, WritesWithInterruptsOffAndRestoresThem) {
    ASSERT_TRUE(arch::interrupts_enabled());
    log::info("one line");
    EXPECT_GT(sink.writes.load(), 0u);
    EXPECT_EQ(sink.writes_with_interrupts_off.load(), sink.writes.load());
    EXPECT_TRUE(arch::interrupts_enabled());

    arch::disable_interrupts();
    log::info("another");
    EXPECT_FALSE(arch::interrupts_enabled());  // were off: stay off
    arch::enable_interrupts();
}

// A writer that stalls in the middle of a line (a CPU stopped while holding
// the log) keeps other writers out, but not a panic.
TEST_F(LogTest, PanicGetsOutPastAStuckWriter) {
    sink.block_next = true;
    std::thread stuck([] { log::info("stuck line"); });
    while (!sink.in_write) std::this_thread::yield();

    std::atomic<bool> other_done{false};
    std::thread other([&] {
        log::info("waits its turn");
        other_done = true;
    });
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
    EXPECT_FALSE(other_done);  // the lock holds it back
    EXPECT_EQ(sink.text().find("waits its turn"), std::string::npos);

    const auto start = std::chrono::steady_clock::now();
    log::begin_panic();
    log::info("PANIC: the message");
    log::info("  a second line");
    const auto waited = std::chrono::steady_clock::now() - start;
    EXPECT_LT(waited, std::chrono::seconds(2));  // bounded: about 100 ms
    EXPECT_EQ(sink.panics.load(), 1u);
    const std::string text = sink.text();
    EXPECT_NE(text.find("PANIC: the message\n  a second line\n"), std::string::npos) << text;

    sink.release = true;
    stuck.join();
    other.join();
    EXPECT_NE(sink.text().find("waits its turn\n"), std::string::npos);
}

// In a panic with a free lock, lines still go out under the lock.
TEST_F(LogTest, PanicWithAFreeLockWritesNormally) {
    log::begin_panic();
    log::info("PANIC: free");
    EXPECT_EQ(sink.text(), "PANIC: free\n");
    EXPECT_TRUE(arch::interrupts_enabled());
}

TEST_F(LogTest, RemovedSinkGetsNothing) {
    FakeSink second;
    log::add_sink(second);
    log::info("both");
    log::remove_sink(second);
    log::info("first only");
    EXPECT_EQ(sink.text(), "both\nfirst only\n");
    EXPECT_EQ(second.text(), "both\n");
}

}  // namespace

namespace {

// The shell leaves its prompt without a newline; a log line that arrives
// then (an interrupt's message) starts on a line of its own, on that sink
// only.
TEST(LogMidLine, ALogLineAfterAPromptStartsOnAFreshLine) {
    FakeSink shell_side;
    FakeSink other_side;
    log::add_sink(shell_side);
    log::add_sink(other_side);
    log::write_to(shell_side, "keel> ");
    log::info("power: power button pressed");
    log::write_to(shell_side, "done\n");
    log::info("second");
    log::remove_sink(shell_side);
    log::remove_sink(other_side);
    EXPECT_EQ(shell_side.text(), "keel> \npower: power button pressed\ndone\nsecond\n");
    EXPECT_EQ(other_side.text(), "power: power button pressed\nsecond\n");
}

}  // namespace
