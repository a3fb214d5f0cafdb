// kernel::shell::key_bytes (src/kernel/shell/key_bytes.hpp): key events as
// the bytes a VT100/xterm terminal sends, which the line editor reads; and
// what gives no bytes at all (docs/shell.md, "Input").
#include <gtest/gtest.h>

#include <string>

#include "kernel/shell/key_bytes.hpp"

namespace {

// Key events as the line editor's bytes.
std::string bytes_of(kernel::input::KeyEvent key) {
    char out[kernel::shell::kMaxKeyBytes];
    return std::string(out, kernel::shell::key_bytes(key, out));
}

TEST(KeyBytes, KeysBecomeTheSequencesATerminalSends) {
    using kernel::input::Key;
    EXPECT_EQ(bytes_of({Key::Character, U'a', 0, true, false}), "a");
    EXPECT_EQ(bytes_of({Key::Enter, 0, 0, true, false}), "\r");
    EXPECT_EQ(bytes_of({Key::Backspace, 0, 0, true, false}), "\x7f");
    EXPECT_EQ(bytes_of({Key::Tab, 0, 0, true, false}), "\t");
    EXPECT_EQ(bytes_of({Key::Up, 0, 0, true, false}), "\x1b[A");
    EXPECT_EQ(bytes_of({Key::Left, 0, 0, true, false}), "\x1b[D");
    EXPECT_EQ(bytes_of({Key::Home, 0, 0, true, false}), "\x1b[H");
    EXPECT_EQ(bytes_of({Key::End, 0, 0, true, false}), "\x1b[F");
    EXPECT_EQ(bytes_of({Key::Delete, 0, 0, true, false}), "\x1b[3~");
}

TEST(KeyBytes, CtrlLettersAreControlCodesWhateverTheirCase) {
    using kernel::input::Key;
    namespace m = kernel::input::modifier;
    EXPECT_EQ(bytes_of({Key::Character, U'c', m::kCtrl, true, false}), "\x03");
    EXPECT_EQ(bytes_of({Key::Character, U'C', m::kCtrl | m::kShift, true, false}), "\x03");
    EXPECT_EQ(bytes_of({Key::Character, U'1', m::kCtrl, true, false}), "");
}

TEST(KeyBytes, ReleasesModifiersAndNonAsciiGiveNothing) {
    using kernel::input::Key;
    EXPECT_EQ(bytes_of({Key::Character, U'a', 0, false, false}), "");
    EXPECT_EQ(bytes_of({Key::Shift, 0, 0, true, false}), "");
    EXPECT_EQ(bytes_of({Key::Escape, 0, 0, true, false}), "");
    EXPECT_EQ(bytes_of({Key::Character, U'\u00e9', 0, true, false}), "");
    char small[2];
    EXPECT_EQ(kernel::shell::key_bytes({Key::Up, 0, 0, true, false}, small), 0U);
}

// What the monkey test typed: a "character" that is a control code (an
// overlong UTF-8 CR or Ctrl-C decoded by a lax decoder) must not reach the
// editor as Enter or Ctrl-C; Alt-letter is bound to nothing; a cursor key
// with Ctrl or Alt is not the key alone.
TEST(KeyBytes, NoControlCodeFromACharacterNoAltNoModifiedCursorKeys) {
    using kernel::input::Key;
    namespace m = kernel::input::modifier;
    EXPECT_EQ(bytes_of({Key::Character, U'\r', 0, true, false}), "");
    EXPECT_EQ(bytes_of({Key::Character, U'\x03', 0, true, false}), "");
    EXPECT_EQ(bytes_of({Key::Character, U'\x1b', 0, true, false}), "");
    EXPECT_EQ(bytes_of({Key::Character, U'x', m::kAlt, true, false}), "");
    EXPECT_EQ(bytes_of({Key::Character, U'@', m::kAltGr, true, false}), "@");
    EXPECT_EQ(bytes_of({Key::Left, 0, m::kCtrl, true, false}), "");
    EXPECT_EQ(bytes_of({Key::Up, 0, m::kAlt, true, false}), "");
    EXPECT_EQ(bytes_of({Key::Delete, 0, m::kCtrl, true, false}), "");
    EXPECT_EQ(bytes_of({Key::Left, 0, m::kShift, true, false}), "\x1b[D");
    EXPECT_EQ(bytes_of({Key::Enter, 0, m::kCtrl, true, false}), "\r");
}

}  // namespace
