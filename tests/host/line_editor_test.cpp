// kernel::shell::LineEditor (src/kernel/shell/line_editor.hpp): keys in,
// the line and what the terminal shows out. The fake terminal
// (fake_screen.hpp) keeps a model of the screen (backspace moves left, text
// overwrites), so the tests assert what a user would see, not the bytes sent.
#include "kernel/shell/line_editor.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "fake_screen.hpp"

namespace {

using fake_screen::Screen;
using kernel::shell::LineEditor;

struct Editor : testing::Test {
    Screen screen;
    LineEditor editor{screen, "keel> "};
    std::vector<std::string> done;
    int cancelled = 0;

    void SetUp() override { editor.start(); }
    void type(const std::string& keys) {
        for (char c : keys) {
            LineEditor::Event e = editor.feed(c);
            if (e == LineEditor::Event::Line)
                done.emplace_back(editor.line().data(), editor.line().size());
            if (e == LineEditor::Event::Cancelled) ++cancelled;
            if (e != LineEditor::Event::None) editor.start();  // as the shell does
        }
    }
};

constexpr const char* kLeft = "\x1b[D";
constexpr const char* kRight = "\x1b[C";
constexpr const char* kUp = "\x1b[A";
constexpr const char* kDown = "\x1b[B";
constexpr const char* kHome = "\x1b[H";

TEST_F(Editor, TypingAndEnter) {
    type("help");
    EXPECT_EQ(screen.current(), "keel> help");
    type("\r");
    ASSERT_EQ(done, (std::vector<std::string>{"help"}));
    type("\r\n");  // CR LF is one Enter: one empty line, not two
    EXPECT_EQ(done.size(), 2u);
    EXPECT_EQ(done[1], "");
}

TEST_F(Editor, InsertInTheMiddleAndCursorKeys) {
    type("ecoh");
    type(std::string(kLeft) + kLeft + "h");  // "ech|oh"
    EXPECT_EQ(screen.current(), "keel> echoh");
    type(std::string(kRight) + kRight + "\x7f");  // to the end, Backspace
    EXPECT_EQ(screen.current(), "keel> echo");
    type("\r");
    EXPECT_EQ(done.back(), "echo");
}

TEST_F(Editor, HomeEndDeleteAndControlKeys) {
    type("world");
    type(
        "\x1b[H"
        "hello ");  // Home, insert
    EXPECT_EQ(screen.current(), "keel> hello world");
    type(
        "\x01"
        "\x1b[3~");  // Ctrl-A, Delete
    EXPECT_EQ(screen.current(), "keel> ello world");
    type(
        "\x05"
        " again");  // Ctrl-E
    EXPECT_EQ(screen.current(), "keel> ello world again");
    type("\x17");  // Ctrl-W: the last word
    EXPECT_EQ(screen.current(), "keel> ello world");
    type(
        "\x01"
        "\x0b");  // Ctrl-A, Ctrl-K: everything
    EXPECT_EQ(screen.current(), "keel>");
    type("abc\x15");  // Ctrl-U
    EXPECT_EQ(screen.current(), "keel>");
    type("\x1bOF\x1bOH");  // SS3 End/Home are understood and harmless here
}

TEST_F(Editor, CtrlCAbandonsCtrlLRedraws) {
    type("reboot");
    type("\x03");
    EXPECT_EQ(cancelled, 1);
    EXPECT_TRUE(done.empty());
    type("mem");
    type("\x0c");
    EXPECT_EQ(screen.clears, 1);
    EXPECT_EQ(screen.current(), "keel> mem");
}

TEST_F(Editor, HistoryUpDownKeepsTheDraft) {
    type("one\rtwo\rtwo\r");  // the repeat is stored once
    type("dra");
    type(kUp);
    EXPECT_EQ(screen.current(), "keel> two");
    type(kUp);
    EXPECT_EQ(screen.current(), "keel> one");
    type(kUp);  // nothing older: bell, unchanged
    EXPECT_EQ(screen.bells, 1);
    EXPECT_EQ(screen.current(), "keel> one");
    type(std::string(kDown) + kDown);
    EXPECT_EQ(screen.current(), "keel> dra");
    type(kUp);
    type("\r");
    EXPECT_EQ(done.back(), "two");
}

TEST_F(Editor, TooLongIsRefusedWithABellAndKeptToTheLimit) {
    screen.width = 1000;  // the buffer is the limit, not the row
    const std::string long_line(LineEditor::kCapacity + 10, 'x');
    type(long_line);
    EXPECT_EQ(screen.bells, 10);
    type("\r");
    EXPECT_EQ(done.back(), std::string(LineEditor::kCapacity, 'x'));
}

// On an 80-column row the line stops where the row does: moving left is a
// backspace, which stops at column 0, so a wrapped line edited in the
// middle came out garbled on the screen (the editor's line and the screen
// disagreed). Now the 74th byte is refused with a bell and editing works.
TEST_F(Editor, ALineStopsAtTheEndOfTheRow) {
    type(std::string(80, 'b'));
    EXPECT_EQ(screen.bells, 80 - 73);
    EXPECT_EQ(screen.lines.size(), 1u);
    type(kHome);
    type("x");  // full: refused too
    EXPECT_EQ(screen.bells, 80 - 73 + 1);
    type("\x1b[3~x\r");  // Delete makes room
    EXPECT_EQ(screen.lines.size(), 2u);
    EXPECT_EQ(done.back(), "x" + std::string(72, 'b'));
    EXPECT_EQ(screen.trimmed(screen.lines[0]), "keel> x" + std::string(72, 'b'));
}

TEST_F(Editor, ControlBytesAndBrokenEscapesAreIgnored) {
    type(std::string("a\x02\x06\x10\x1f\xff") + "b");
    type("\x1b[99999999999~");  // too long: dropped
    type("\x1bZ");              // not a sequence
    type("\x1b[1;5D");          // a modified key the editor does not use
    type("c\r");
    EXPECT_EQ(done.back(), "abc");
}

usize complete_commands(ktl::string_view before, ktl::string_view word,
                        ktl::span<ktl::string_view> out) {
    static const char* const kCommands[] = {"help", "heap", "crash", "clear"};
    static const char* const kCrashKinds[] = {"null-deref", "double-free"};
    usize n = 0;
    auto offer = [&](const char* const* names, size_t count) {
        for (size_t i = 0; i < count && n < out.size(); ++i)
            if (ktl::string_view(names[i]).starts_with(word)) out[n++] = names[i];
    };
    if (before.empty())
        offer(kCommands, 4);
    else if (before == "crash ")
        offer(kCrashKinds, 2);
    return n;
}

TEST(EditorCompletion, CommandsAndTheirFirstArgument) {
    Screen screen;
    LineEditor editor{screen, "keel> ", complete_commands};
    editor.start();
    auto type = [&](const std::string& keys) {
        for (char c : keys) editor.feed(c);
    };
    type("cr\t");
    EXPECT_EQ(screen.current(), "keel> crash");
    type("n\t");
    EXPECT_EQ(screen.current(), "keel> crash null-deref");
    type("\r");
    EXPECT_EQ(editor.line(), ktl::string_view("crash null-deref "));
    type("he\t");  // ambiguous: the choices are listed, the line redrawn
    EXPECT_NE(std::find(screen.lines.begin(), screen.lines.end(), "help  heap"),
              screen.lines.end());
    EXPECT_EQ(screen.current(), "keel> he");
    type("zz\t");
    EXPECT_GE(screen.bells, 1);
}

}  // namespace
