// The shell's core (src/kernel/shell): words, the registry, Tab, dispatch
// and its answers to bad input, the key-event converter, the router, and
// the log's history that `log` reads. Output is what the user's side sees.
#include <gtest/gtest.h>

#include <functional>
#include <string>
#include <vector>

#include "failing_heap.hpp"

#include "kernel/input/terminal.hpp"
#include "kernel/log/history.hpp"
#include "kernel/log/log.hpp"
#include "kernel/shell/args.hpp"
#include "kernel/shell/commands/commands.hpp"
#include "kernel/shell/dispatch.hpp"
#include "kernel/shell/registry.hpp"
#include "kernel/shell/router.hpp"
#include "kernel/shell/session.hpp"

namespace {

using kernel::shell::Args;
using kernel::shell::Command;
using kernel::shell::Io;
using kernel::shell::Registry;
using kernel::shell::Status;

std::string str(ktl::string_view v) { return {v.data(), v.size()}; }

// What one side shows: text with the terminal's "\r" dropped.
struct FakeIo final : Io {
    std::string text;
    int bells = 0;
    int clears = 0;
    int interrupt_after = -1;  // interrupted() turns true after this many calls
    int interrupted_calls = 0;
    // Called on each interrupted() with the number of that call (1, 2, ...):
    // what happens while a command waits, such as a line logged meanwhile.
    std::function<void(int)> on_interrupted_check;
    void write(ktl::string_view t) override {
        for (char c : t)
            if (c != '\r') text += c;
    }
    void bell() override { ++bells; }
    void clear_screen() override { ++clears; }
    // Wide: these tests are about the buffer and the commands, not the row.
    [[nodiscard]] u32 columns() const override { return 1000; }
    bool interrupted() override {
        if (on_interrupted_check) on_interrupted_check(++interrupted_calls);
        return interrupt_after >= 0 && interrupt_after-- == 0;
    }
};

// A command whose first argument is one of a fixed set, and which records
// what it was given.
std::vector<std::string> g_seen;
const ktl::string_view kColours[] = {"red", "green", "grey", "blue"};
ktl::span<const ktl::string_view> colours() { return {kColours, 4}; }
Status paint(Io& io, const Args& args) {
    g_seen.clear();
    for (usize i = 0; i < args.count(); ++i) g_seen.push_back(str(args[i]));
    if (args.count() != 2) return Status::Usage;
    io.print("painted {}\n", args[1]);
    return Status::Ok;
}
const Command kPaint{"paint", "paint the wall", "<colour>", colours, paint};
const Command kPing{"ping", "answer pong", "", nullptr, [](Io& io, const Args&) {
                        io.write("pong\n");
                        return Status::Ok;
                    }};
const Command kPin{"pin", "a name sharing a prefix", "", nullptr,
                   [](Io&, const Args&) { return Status::Ok; }};

struct Shell : testing::Test {
    Registry commands;
    FakeIo io;
    void SetUp() override {
        ASSERT_TRUE(commands.add(kPing));
        ASSERT_TRUE(commands.add(kPaint));
        ASSERT_TRUE(commands.add(kPin));
    }
    std::string run(const char* line) {
        io.text.clear();
        kernel::shell::execute(io, commands, line);
        return io.text;
    }
    std::vector<std::string> complete(const char* before, const char* word) {
        ktl::string_view out[8];
        const usize n = commands.complete(before, word, {out, 8});
        std::vector<std::string> v;
        for (usize i = 0; i < n; ++i) v.push_back(str(out[i]));
        return v;
    }
};

TEST(ShellArgs, SplitsOnSpacesAndDropsEmptyWords) {
    Args a;
    ASSERT_TRUE(a.parse("  crash   null-deref  "));
    ASSERT_EQ(a.count(), 2U);
    EXPECT_EQ(str(a.name()), "crash");
    EXPECT_EQ(str(a[1]), "null-deref");
    EXPECT_EQ(str(a[2]), "");  // past the end: empty, not a read out of bounds
    EXPECT_TRUE(a.has("null-deref"));
    EXPECT_FALSE(a.has("crash"));  // the name is not an argument
    ASSERT_TRUE(a.parse(""));
    EXPECT_EQ(a.count(), 0U);
}

TEST(ShellArgs, RefusesTooManyWords) {
    Args a;
    std::string line;
    for (usize i = 0; i < Args::kMaxWords; ++i) line += "w ";
    EXPECT_TRUE(a.parse({line.data(), line.size()}));
    line += "one-too-many";
    EXPECT_FALSE(a.parse({line.data(), line.size()}));
}

TEST_F(Shell, RegistryRefusesDuplicatesAndKeepsNamesSorted) {
    EXPECT_FALSE(commands.add(kPing));
    ASSERT_EQ(commands.all().size(), 3U);
    EXPECT_EQ(str(commands.all()[0]->name), "paint");
    EXPECT_EQ(str(commands.all()[1]->name), "pin");
    EXPECT_EQ(str(commands.all()[2]->name), "ping");
    EXPECT_EQ(commands.find("pong"), nullptr);
    EXPECT_EQ(commands.find("ping"), &kPing);
}

TEST_F(Shell, RegistryGrowsAndRefusesWhenTheHeapIsFull) {
    Registry big;
    constexpr usize kMany = 200;  // more than the fixed 48 it had
    static Command many[kMany];
    static std::string names[kMany];
    for (usize i = 0; i < kMany; ++i) {
        names[i] = "c" + std::to_string(i);
        many[i] = kPing;
        many[i].name = {names[i].data(), names[i].size()};
        // The heap refuses the growth that the 65th command needs.
        test_heap::fail_nothrow_after(i == 64 ? 0 : -1);
        EXPECT_EQ(big.add(many[i]), i != 64) << i;
    }
    test_heap::fail_nothrow_after(-1);
    EXPECT_EQ(big.all().size(), kMany - 1);
    EXPECT_EQ(big.find("c64"), nullptr);
    EXPECT_EQ(big.find("c65"), &many[65]);
}

TEST_F(Shell, RunsTheNamedCommandWithItsArguments) {
    EXPECT_EQ(run("ping"), "pong\n");
    EXPECT_EQ(run("  paint   red "), "painted red\n");
    EXPECT_EQ(g_seen, (std::vector<std::string>{"paint", "red"}));
    EXPECT_EQ(run(""), "");
    EXPECT_EQ(run("    "), "");
}

TEST_F(Shell, UnknownCommandSaysSoAndPointsAtHelp) {
    EXPECT_EQ(run("pnig"), "unknown command 'pnig' (try help)\n");
    EXPECT_EQ(run("pin2 x"), "unknown command 'pin2' (try help)\n");
}

TEST_F(Shell, WrongArgumentsPrintTheUsage) {
    EXPECT_EQ(run("paint"), "usage: paint <colour>\n  one of: red green grey blue\n");
    EXPECT_EQ(run("paint red blue"), "usage: paint <colour>\n  one of: red green grey blue\n");
}

TEST_F(Shell, HelpOptionOfAnyCommandShowsSummaryAndUsage) {
    g_seen.clear();
    EXPECT_EQ(run("paint --help"),
              "paint - paint the wall\nusage: paint <colour>\n  one of: red green grey blue\n");
    EXPECT_TRUE(g_seen.empty());  // the command itself did not run
    EXPECT_EQ(run("ping --help"), "ping - answer pong\nusage: ping\n");
}

TEST_F(Shell, TooManyWordsAreRefusedInWords) {
    std::string line = "ping";
    for (usize i = 0; i < Args::kMaxWords; ++i) line += " x";
    EXPECT_EQ(run(line.c_str()), "too many words: a command takes at most 15\n");
}

TEST_F(Shell, TabCompletesCommandNames) {
    EXPECT_EQ(complete("", "pa"), (std::vector<std::string>{"paint"}));
    EXPECT_EQ(complete("", "pi"), (std::vector<std::string>{"pin", "ping"}));
    EXPECT_EQ(complete("", ""), (std::vector<std::string>{"paint", "pin", "ping"}));
    EXPECT_TRUE(complete("", "x").empty());
}

TEST_F(Shell, TabCompletesTheFirstArgumentFromItsFixedSet) {
    EXPECT_EQ(complete("paint ", "gr"), (std::vector<std::string>{"green", "grey"}));
    EXPECT_EQ(complete("  paint  ", "b"), (std::vector<std::string>{"blue"}));
    EXPECT_EQ(complete("paint ", "").size(), 4U);
    EXPECT_TRUE(complete("paint red ", "b").empty());  // only the first argument
    EXPECT_TRUE(complete("ping ", "").empty());        // no fixed set
    EXPECT_TRUE(complete("nosuch ", "").empty());
}

TEST_F(Shell, TabCompletionStopsAtTheOutputsSize) {
    ktl::string_view out[2];
    EXPECT_EQ(commands.complete("paint ", "", {out, 2}), 2U);
}

// The built-in commands, on the kernel's one registry.
struct Builtins : testing::Test {
    FakeIo io;
    void SetUp() override {
        namespace c = kernel::shell::commands;
        kernel::shell::registry().clear();
        for (const Command* command : {&c::kHelp, &c::kEcho, &c::kClear, &c::kLog})
            ASSERT_TRUE(kernel::shell::registry().add(*command));
    }
    void TearDown() override { kernel::shell::registry().clear(); }
    std::string run(const char* line) {
        io.text.clear();
        kernel::shell::execute(io, kernel::shell::registry(), line);
        return io.text;
    }
};

TEST_F(Builtins, HelpListsEveryCommandOnOneLine) {
    const std::string out = run("help");
    EXPECT_NE(out.find("clear  clear this side's screen\n"), std::string::npos) << out;
    EXPECT_NE(out.find("echo   print its arguments\n"), std::string::npos) << out;
    EXPECT_NE(out.find("help   list the commands\n"), std::string::npos) << out;
    EXPECT_NE(out.find("log    the kernel log since boot"), std::string::npos) << out;
    EXPECT_EQ(run("help me"), "usage: help\n");
}

// A command's one option completes with Tab (log -f; the kernel's pci -v
// likewise), and a wrong one prints it in the usage (below).
TEST_F(Builtins, LogsOptionIsItsFixedSet) {
    ktl::string_view out[4];
    ASSERT_EQ(kernel::shell::registry().complete("log ", "-", {out, 4}), 1U);
    EXPECT_EQ(std::string(out[0].data(), out[0].size()), "-f");
}

TEST_F(Builtins, EchoJoinsItsWords) {
    EXPECT_EQ(run("echo  hello   world"), "hello world\n");
    EXPECT_EQ(run("echo"), "\n");
}

TEST_F(Builtins, ClearClearsOnlyWhenAskedRight) {
    run("clear");
    EXPECT_EQ(io.clears, 1);
    EXPECT_EQ(run("clear now"), "usage: clear\n");
    EXPECT_EQ(io.clears, 1);
}

TEST_F(Builtins, LogShowsTheLogSinceBootAndFollowsUntilCtrlC) {
    kernel::log::info("shell-test line one");
    std::string out = run("log");
    EXPECT_NE(out.find("shell-test line one\n"), std::string::npos);
    EXPECT_EQ(run("log -x"), "usage: log [-f]\n  one of: -f\n");
    // -f: the history, then a line logged while following (on the first
    // check for Ctrl-C), then Ctrl-C (on the second).
    io.interrupt_after = 1;
    io.on_interrupted_check = [](int call) {
        if (call == 1) kernel::log::info("shell-test line logged while following");
    };
    out = run("log -f");
    io.on_interrupted_check = nullptr;
    EXPECT_NE(out.find("shell-test line one\n[following the log; Ctrl-C stops]\n"
                       "shell-test line logged while following\n^C\n"),
              std::string::npos)
        << out;
}

TEST(LogHistory, KeepsTheNewestBytesAndCountsWhatWasDropped) {
    char storage[8];
    kernel::log::History h{{storage, sizeof storage}};
    h.append("abcdef");
    char out[16];
    kernel::log::History::Read r = h.read(0, {out, sizeof out});
    EXPECT_EQ(std::string(out, r.size), "abcdef");
    EXPECT_EQ(r.dropped, 0U);
    EXPECT_EQ(r.next, 6U);
    h.append("ghijk");  // 11 bytes: the first 3 are gone
    r = h.read(0, {out, sizeof out});
    EXPECT_EQ(r.dropped, 3U);
    EXPECT_EQ(std::string(out, r.size), "defghijk");
    EXPECT_EQ(r.next, 11U);
    r = h.read(9, {out, 1});  // a window of one byte
    EXPECT_EQ(std::string(out, r.size), "j");
    EXPECT_EQ(r.next, 10U);
    r = h.read(11, {out, sizeof out});  // at the end: nothing
    EXPECT_EQ(r.size, 0U);
}

TEST(LogHistory, TheLogRemembersWholeLinesWithTheirPrefix) {
    const u64 before = kernel::log::history_end();
    kernel::log::warn("remembered {}", 42);
    char out[64];
    const kernel::log::HistoryRead r = kernel::log::read_history(before, {out, sizeof out});
    EXPECT_EQ(std::string(out, r.size), "warning: remembered 42\n");
}

// Two sessions: each answers on its own side.
struct Sides : testing::Test {
    FakeIo screen_io, serial_io;
    kernel::shell::Session screen{screen_io, kernel::shell::registry()};
    kernel::shell::Session serial{serial_io, kernel::shell::registry()};
    kernel::shell::Router router{&screen, &serial};
    void SetUp() override {
        kernel::shell::registry().clear();
        ASSERT_TRUE(kernel::shell::registry().add(kernel::shell::commands::kEcho));
        ASSERT_TRUE(kernel::shell::registry().add(kernel::shell::commands::kHelp));
        screen.start();
        serial.start();
    }
    void TearDown() override { kernel::shell::registry().clear(); }
    void key(kernel::input::Source source, char32_t c, kernel::input::Key k) {
        kernel::input::Event e;
        e.source = source;
        e.key.key = k;
        e.key.text = c;
        router.deliver(e);
    }
    void type(kernel::input::Source source, const char* text) {
        for (const char* p = text; *p != 0; ++p)
            key(source, static_cast<unsigned char>(*p), kernel::input::Key::Character);
        key(source, 0, kernel::input::Key::Enter);
    }
    // Bytes on COM1 as the kernel takes them (drivers/serial/serial_input.cpp):
    // through the terminal decoder into key events from the serial side,
    // then a quiet line.
    kernel::input::TerminalDecoder decoder;
    void serial_bytes(const std::string& bytes) {
        for (char c : bytes) {
            kernel::input::KeyEvent keys[2];
            const u8 n = decoder.feed(static_cast<u8>(c), keys);
            for (u8 i = 0; i < n; ++i) serial_key(keys[i]);
        }
        kernel::input::KeyEvent last;
        if (decoder.flush(last)) serial_key(last);
    }
    void serial_key(const kernel::input::KeyEvent& k) {
        kernel::input::Event e;
        e.source = kernel::input::Source::Serial;
        e.key = k;
        router.deliver(e);
    }
};

TEST_F(Sides, EachSideGetsTheAnswersToWhatItTyped) {
    type(kernel::input::Source::Keyboard, "echo from the keyboard");
    EXPECT_EQ(screen_io.text, "keel> echo from the keyboard\nfrom the keyboard\nkeel> ");
    EXPECT_EQ(serial_io.text, "keel> ");
    serial_bytes("echo over serial\r");
    EXPECT_EQ(serial_io.text, "keel> echo over serial\nover serial\nkeel> ");
    type(kernel::input::Source::Serial, "echo as events");
    EXPECT_NE(serial_io.text.find("as events\nkeel> "), std::string::npos);
    EXPECT_EQ(screen_io.text.find("over serial"), std::string::npos);
}

// A character the line cannot take is refused with the bell on its side,
// not dropped without a sign: é (UTF-8 on COM1, or a keymap's key), Alt-x.
TEST_F(Sides, ACharacterTheLineCannotTakeRingsTheBell) {
    key(kernel::input::Source::Serial, 0xE9, kernel::input::Key::Character);
    EXPECT_EQ(serial_io.bells, 1);
    EXPECT_EQ(screen_io.bells, 0);
    serial_bytes("\xc3\xa9");  // é as a terminal sends it
    EXPECT_EQ(serial_io.bells, 2);
    kernel::input::Event alt_x;
    alt_x.source = kernel::input::Source::Keyboard;
    alt_x.key.key = kernel::input::Key::Character;
    alt_x.key.text = 'x';
    alt_x.key.modifiers = kernel::input::modifier::kAlt;
    router.deliver(alt_x);
    EXPECT_EQ(screen_io.bells, 1);
    EXPECT_EQ(serial_io.text, "keel> ");  // nothing typed
}

TEST_F(Sides, MouseEventsAreIgnored) {
    kernel::input::Event e;
    e.kind = kernel::input::Kind::Mouse;
    router.deliver(e);
    EXPECT_EQ(screen_io.text, "keel> ");
}

TEST_F(Sides, TabCompletesThroughTheSessionsRegistry) {
    serial_bytes("ec\t");
    EXPECT_EQ(serial_io.text, "keel> echo ");
}

TEST_F(Sides, GarbageOnSerialLeavesTheShellWorking) {
    // Control bytes, broken and overlong escape sequences, bytes above 0x7F.
    const std::string garbage =
        std::string("\x01\x02\x1b[999999999999X\x1b[\x07\x80\xff\x1bO") + "\x1b[1;5D\x0e\x0f";
    serial_bytes(garbage);
    serial_bytes("echo ok\r");
    EXPECT_NE(serial_io.text.find("\nok\nkeel> "), std::string::npos) << serial_io.text;
}

TEST_F(Sides, ALineLongerThanTheBufferIsRefusedWithABell) {
    serial_bytes(std::string(kernel::shell::LineEditor::kCapacity + 5, 'x'));
    EXPECT_EQ(serial_io.bells, 5);
    serial_bytes("\r");
    EXPECT_NE(serial_io.text.find("unknown command '" +
                                  std::string(kernel::shell::LineEditor::kCapacity, 'x') + "'"),
              std::string::npos);
}

}  // namespace
