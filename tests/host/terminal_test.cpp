// Serial terminal input (src/kernel/input/terminal.*): bytes as terminal
// emulators send them, decoded to keys.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "kernel/input/describe.hpp"
#include "kernel/input/terminal.hpp"

namespace {

using namespace kernel::input;
using Lines = std::vector<std::string>;

std::string words(const KeyEvent& k) {
    Event e;
    e.source = Source::Serial;
    e.key = k;
    EventText text;
    describe_event(e, text);
    return text.c_str();
}

Lines decode(TerminalDecoder& t, const std::string& bytes, bool flush = true) {
    Lines lines;
    for (char c : bytes) {
        KeyEvent out[2];
        const u8 n = t.feed(static_cast<u8>(c), out);
        for (u8 i = 0; i < n; ++i) lines.push_back(words(out[i]));
    }
    KeyEvent last;
    if (flush && t.flush(last)) lines.push_back(words(last));
    return lines;
}

TEST(Terminal, PlainCharactersAndLineKeys) {
    TerminalDecoder t;
    EXPECT_EQ(decode(t, "Hi\r\x7f\b\t\n"),
              (Lines{"serial: press 'H'", "serial: press 'i'", "serial: press Enter",
                     "serial: press Backspace", "serial: press Backspace", "serial: press Tab",
                     "serial: press Enter"}));
}

TEST(Terminal, CrLfIsOneEnter) {
    TerminalDecoder t;
    EXPECT_EQ(decode(t, "a\r\nb"),
              (Lines{"serial: press 'a'", "serial: press Enter", "serial: press 'b'"}));
}

TEST(Terminal, ControlLettersCarryCtrl) {
    TerminalDecoder t;
    EXPECT_EQ(decode(t, "\x03\x01\x1a"), (Lines{"serial: press 'c' ctrl", "serial: press 'a' ctrl",
                                                "serial: press 'z' ctrl"}));
}

TEST(Terminal, ArrowsInBothEncodings) {
    TerminalDecoder t;
    EXPECT_EQ(decode(t, "\x1b[A\x1b[B\x1b[C\x1b[D\x1bOA\x1bOD"),
              (Lines{"serial: press Up", "serial: press Down", "serial: press Right",
                     "serial: press Left", "serial: press Up", "serial: press Left"}));
}

TEST(Terminal, HomeAndEndInTheirSeveralEncodings) {
    TerminalDecoder t;
    EXPECT_EQ(decode(t, "\x1b[H\x1b[1~\x1bOH\x1b[7~\x1b[F\x1b[4~\x1bOF\x1b[8~"),
              (Lines{"serial: press Home", "serial: press Home", "serial: press Home",
                     "serial: press Home", "serial: press End", "serial: press End",
                     "serial: press End", "serial: press End"}));
}

TEST(Terminal, DeletePagesInsertAndFunctionKeys) {
    TerminalDecoder t;
    EXPECT_EQ(decode(t, "\x1b[3~\x1b[5~\x1b[6~\x1b[2~\x1bOP\x1b[15~\x1b[24~"),
              (Lines{"serial: press Delete", "serial: press PageUp", "serial: press PageDown",
                     "serial: press Insert", "serial: press F1", "serial: press F5",
                     "serial: press F12"}));
}

TEST(Terminal, XtermModifiers) {
    TerminalDecoder t;
    EXPECT_EQ(decode(t, "\x1b[1;5C\x1b[1;2A"),
              (Lines{"serial: press Right ctrl", "serial: press Up shift"}));
}

TEST(Terminal, BareEscapeNeedsTheQuietFlush) {
    TerminalDecoder t;
    EXPECT_TRUE(decode(t, "\x1b", false).empty());
    EXPECT_TRUE(t.pending());
    KeyEvent k;
    ASSERT_TRUE(t.flush(k));
    EXPECT_EQ(words(k), "serial: press Escape");
    EXPECT_FALSE(t.pending());
    // ESC ESC [ A: Escape, then Up.
    EXPECT_EQ(decode(t, "\x1b\x1b[A"), (Lines{"serial: press Escape", "serial: press Up"}));
    // ESC then Enter: both keys.
    EXPECT_EQ(decode(t, "\x1b\r"), (Lines{"serial: press Escape", "serial: press Enter"}));
    // ESC x: Alt-x.
    EXPECT_EQ(decode(t, "\x1bx"), (Lines{"serial: press 'x' alt"}));
}

TEST(Terminal, BrokenSequencesAreDropped) {
    TerminalDecoder t;
    // Unknown final byte, runaway parameters, an unknown ~ number, then an
    // ESC inside a sequence starting a good one: only the good keys remain.
    EXPECT_EQ(decode(t, "\x1b[Zq\x1b[11111111111111111Ab\x1b[99~c\x1b[1\x1b[Bd\x1bOxe"),
              (Lines{"serial: press 'q'", "serial: press 'b'", "serial: press 'c'",
                     "serial: press Down", "serial: press 'd'", "serial: press 'e'"}));
    EXPECT_EQ(t.dropped(), 5U);
    // A half sequence when the line goes quiet is dropped, not a key.
    EXPECT_TRUE(decode(t, "\x1b[1;").empty());
}

TEST(Terminal, Utf8Characters) {
    TerminalDecoder t;
    EXPECT_EQ(decode(t, "\xc3\xa9\xe2\x82\xac"), (Lines{"serial: press 'é'", "serial: press '€'"}));
    EXPECT_EQ(decode(t, "\xc3z"), (Lines{"serial: press 'z'"}));
    EXPECT_EQ(decode(t, "\xf0\x9f\x98\x80"), (Lines{"serial: press '\U0001F600'"}));
    // Each limit's valid side: the least and greatest of each length, the
    // code points next to the surrogates, the last one.
    const char* valid[] = {"\xc2\x80",     "\xdf\xbf",     "\xe0\xa0\x80",     "\xed\x9f\xbf",
                           "\xee\x80\x80", "\xef\xbf\xbf", "\xf0\x90\x80\x80", "\xf4\x8f\xbf\xbf"};
    const u64 before = t.dropped();  // the C3 cut short above
    for (const char* bytes : valid) {
        const Lines got = decode(t, bytes);
        ASSERT_EQ(got.size(), 1U) << "bytes " << bytes;
        EXPECT_EQ(got[0], std::string("serial: press '") + bytes + "'");
    }
    EXPECT_EQ(t.dropped(), before);
}

// Overlong forms (C0 8D would be a CR, C0 83 a Ctrl-C, C0 AF a '/'),
// surrogates and values past U+10FFFF are no characters: dropped, counted.
TEST(Terminal, InvalidUtf8IsDroppedNotDecoded) {
    TerminalDecoder t;
    EXPECT_EQ(decode(t,
                     "a\xc0\x8d"
                     "b\xc0\x83"
                     "c\xc0\xaf"
                     "d\xe0\x80\xaf"
                     "e\xed\xa0\x80"
                     "f\xf4\x90\x80\x80"
                     "g\xf7\xbf\xbf\xbf"
                     "h"),
              (Lines{"serial: press 'a'", "serial: press 'b'", "serial: press 'c'",
                     "serial: press 'd'", "serial: press 'e'", "serial: press 'f'",
                     "serial: press 'g'", "serial: press 'h'"}));
    EXPECT_EQ(t.dropped(), 7U);
}

// Sequences a terminal sends that are no key: private modes (ESC [ ? 25 h),
// SGR mouse reports (ESC [ < 0;1;1 M), an intermediate byte (ESC [ space q),
// and the strings OSC (a title, ended by BEL), DCS and APC (ended by ESC \).
TEST(Terminal, SequencesThatAreNoKeyAreDroppedWhole) {
    TerminalDecoder t;
    EXPECT_EQ(decode(t, "A\x1b[?25hB\x1b[<0;1;1MC\x1b[ qD"),
              (Lines{"serial: press 'A'", "serial: press 'B'", "serial: press 'C'",
                     "serial: press 'D'"}));
    EXPECT_EQ(decode(t, "X\x1b]0;title\x07Y\x1bPq#0\x1b\\Z\x1b_app\x1b\\W"),
              (Lines{"serial: press 'X'", "serial: press 'Y'", "serial: press 'Z'",
                     "serial: press 'W'"}));
    // An OSC that never ends is dropped (and counted) when the line goes
    // quiet; typing works again after it.
    const u64 before = t.dropped();
    EXPECT_TRUE(decode(t, "\x1b]2;no end", false).empty());
    EXPECT_TRUE(t.pending());
    KeyEvent k;
    EXPECT_FALSE(t.flush(k));
    EXPECT_EQ(t.dropped(), before + 1);
    EXPECT_EQ(decode(t, "k"), (Lines{"serial: press 'k'"}));
    // A key sequence right after a string still counts; so does a key after
    // the ESC that ended one, and a quiet line there is no Escape key.
    EXPECT_EQ(decode(t, "\x1b]0;t\x1b[A"), (Lines{"serial: press Up"}));
    EXPECT_EQ(decode(t, "\x1b]0;t\x1bx"), (Lines{"serial: press 'x'"}));
    EXPECT_EQ(decode(t, "\x1b]0;t\x1b\x1b[B"), (Lines{"serial: press Down"}));
    EXPECT_TRUE(decode(t, "\x1b]0;t\x1b").empty());
    // CAN and SUB abort a string.
    EXPECT_EQ(decode(t, "\x1b]0;t\x18hi\x1bPx\x1ayo"),
              (Lines{"serial: press 'h'", "serial: press 'i'", "serial: press 'y'",
                     "serial: press 'o'"}));
}

// An X10 mouse report (a terminal left in mouse mode by another program):
// ESC [ M and three raw bytes, here a press at column 1, row 1 (" !!") and
// a release with bytes that look like a key sequence ("#[A"). None typed.
TEST(Terminal, X10MouseReportsAreSwallowed) {
    TerminalDecoder t;
    const u64 before = t.dropped();
    EXPECT_EQ(decode(t, "a\x1b[M !!b\x1b[M#[Ac"),
              (Lines{"serial: press 'a'", "serial: press 'b'", "serial: press 'c'"}));
    EXPECT_EQ(t.dropped(), before + 2);
    // Cut short by a quiet line: what came is dropped, and typing goes on.
    EXPECT_TRUE(decode(t, "\x1b[M ", false).empty());
    EXPECT_TRUE(t.pending());
    KeyEvent k;
    EXPECT_FALSE(t.flush(k));
    EXPECT_EQ(decode(t, "d"), (Lines{"serial: press 'd'"}));
    // ESC [ 1 M is no mouse report (a parameter came first): dropped alone.
    EXPECT_EQ(decode(t, "\x1b[1Me"), (Lines{"serial: press 'e'"}));
}

// rxvt ends Shift with a ~ key in $ (ESC [ 3 $ is Shift-Delete): the $ is
// the final byte, so the key typed next is not swallowed as one.
TEST(Terminal, RxvtShiftKeysEndInDollar) {
    TerminalDecoder t;
    EXPECT_EQ(decode(t, "\x1b[3$x\x1b[2$a\x1b[99$b"),
              (Lines{"serial: press Delete shift", "serial: press 'x'",
                     "serial: press Insert shift", "serial: press 'a'", "serial: press 'b'"}));
}

}  // namespace
