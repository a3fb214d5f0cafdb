// kernel::log::escape_unprintable (src/kernel/log/escape.hpp): loader text
// is logged with control bytes escaped, so it cannot drive a terminal.
#include "kernel/log/escape.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace {

std::string escape(const std::string& text, size_t room = 256) {
    std::vector<char> out(room);
    ktl::string_view v =
        kernel::log::escape_unprintable({text.data(), text.size()}, {out.data(), out.size()});
    return {v.data(), v.size()};
}

TEST(Escape, PrintableTextIsUnchanged) {
    EXPECT_EQ(escape("console=fb test=paging \\ ~"), "console=fb test=paging \\ ~");
    EXPECT_EQ(escape(""), "");
}

TEST(Escape, ControlAndHighBytesBecomeHex) {
    EXPECT_EQ(escape("a\x1b[2Jb"), "a\\x1b[2Jb");
    EXPECT_EQ(escape(std::string("\0\n\r\x7f\xff", 5)), "\\x00\\x0a\\x0d\\x7f\\xff");
}

TEST(Escape, TooLongIsCutWithAnEllipsisNeverMidEscape) {
    EXPECT_EQ(escape("abcdef", 6), "abcdef");
    EXPECT_EQ(escape("abcdefg", 6), "abc...");
    EXPECT_EQ(escape("ab\x1b", 6), "ab\\x1b");
    EXPECT_EQ(escape("ab\x1bxyz", 8), "ab...");  // "\x1b" would not leave room
    EXPECT_EQ(escape("abcdefg", 2), "");
    EXPECT_EQ(escape("abcd", 3), "...");
}

}  // namespace
