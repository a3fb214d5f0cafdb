// Host tests for the command-line tokenizer (src/kernel/options/cmdline.hpp);
// the options it feeds are in options_test.cpp.
#include <gtest/gtest.h>

#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "kernel/options/cmdline.hpp"

using kernel::cmdline::Option;
using kernel::cmdline::SyntaxError;
using kernel::cmdline::Token;
using kernel::cmdline::Tokenizer;

namespace {

std::string_view sv(ktl::string_view s) { return {s.data(), s.size()}; }
ktl::string_view ks(std::string_view s) { return {s.data(), s.size()}; }

std::vector<Token> tokens(std::string_view line) {
    std::vector<Token> out;
    Tokenizer t(ks(line));
    Token token;
    while (t.next(token)) out.push_back(token);
    return out;
}

void expect_option(const Token& t, std::string_view key, std::string_view value, bool has_value) {
    EXPECT_EQ(t.error, SyntaxError::None) << sv(t.text);
    EXPECT_EQ(sv(t.option.key), key);
    EXPECT_EQ(sv(t.option.value), value);
    EXPECT_EQ(t.option.has_value, has_value);
}

SyntaxError single_error(std::string_view line) {
    auto t = tokens(line);
    EXPECT_EQ(t.size(), 1u) << line;
    return t.empty() ? SyntaxError::None : t[0].error;
}

}  // namespace

// --- Tokenizer ------------------------------------------------------------

TEST(CmdlineTokenizer, EmptyAndBlankLinesHaveNoTokens) {
    EXPECT_TRUE(tokens("").empty());
    EXPECT_TRUE(tokens("   \t  \n ").empty());
}

TEST(CmdlineTokenizer, FlagsAndValues) {
    auto t = tokens("  test console=serial\tloglevel=debug  dump-mbi ");
    ASSERT_EQ(t.size(), 4u);
    expect_option(t[0], "test", "", false);
    expect_option(t[1], "console", "serial", true);
    expect_option(t[2], "loglevel", "debug", true);
    expect_option(t[3], "dump-mbi", "", false);
    EXPECT_EQ(sv(t[1].text), "console=serial");
}

TEST(CmdlineTokenizer, EmptyValueIsNotAFlag) {
    auto t = tokens("key=");
    ASSERT_EQ(t.size(), 1u);
    expect_option(t[0], "key", "", true);
}

TEST(CmdlineTokenizer, OnlyTheFirstEqualsSplits) {
    auto t = tokens("root=LABEL=boot");
    ASSERT_EQ(t.size(), 1u);
    expect_option(t[0], "root", "LABEL=boot", true);
}

TEST(CmdlineTokenizer, QuotedValue) {
    auto t = tokens("a=1 msg=\"hello big world\" b=2");
    ASSERT_EQ(t.size(), 3u);
    expect_option(t[1], "msg", "hello big world", true);
    EXPECT_EQ(sv(t[1].text), "msg=\"hello big world\"");
    expect_option(t[2], "b", "2", true);
    auto empty = tokens("msg=\"\"");
    ASSERT_EQ(empty.size(), 1u);
    expect_option(empty[0], "msg", "", true);
}

TEST(CmdlineTokenizer, GrubQuotesTheWholeArgument) {
    // grub.cfg `multiboot2 /k msg="a b"` reaches the kernel as "msg=a b".
    auto t = tokens("/boot/kernel \"msg=a b\" \"flag with space\" x");
    ASSERT_EQ(t.size(), 4u);
    expect_option(t[0], "/boot/kernel", "", false);
    expect_option(t[1], "msg", "a b", true);
    expect_option(t[2], "flag with space", "", false);
    expect_option(t[3], "x", "", false);
}

TEST(CmdlineTokenizer, EscapedQuotesStayRawAndUnescape) {
    auto t = tokens(R"(msg="say \"hi\"" path=C:\\dir next)");
    ASSERT_EQ(t.size(), 3u);
    expect_option(t[0], "msg", R"(say \"hi\")", true);
    expect_option(t[1], "path", R"(C:\\dir)", true);
    char buffer[32];
    const usize n = kernel::cmdline::unescape(t[0].option.value, buffer);
    EXPECT_EQ(std::string_view(buffer, n), "say \"hi\"");
    const usize m = kernel::cmdline::unescape(t[1].option.value, buffer);
    EXPECT_EQ(std::string_view(buffer, m), "C:\\dir");
}

TEST(CmdlineTokenizer, UnescapeKeepsOtherBackslashesAndTruncates) {
    char buffer[4];
    EXPECT_EQ(std::string_view(buffer, kernel::cmdline::unescape(R"(\x41)", buffer)), R"(\x41)");
    EXPECT_EQ(std::string_view(buffer, kernel::cmdline::unescape("abcdefg", buffer)), "abcd");
    EXPECT_EQ(std::string_view(buffer, kernel::cmdline::unescape("a\\", buffer)), "a\\");
    EXPECT_EQ(kernel::cmdline::unescape("abc", ktl::span<char>()), 0u);
}

TEST(CmdlineTokenizer, EmptyKey) {
    EXPECT_EQ(single_error("=value"), SyntaxError::EmptyKey);
    EXPECT_EQ(single_error("="), SyntaxError::EmptyKey);
    EXPECT_EQ(single_error("=\"a b\""), SyntaxError::EmptyKey);
    EXPECT_EQ(single_error("\"=x\""), SyntaxError::EmptyKey);
    EXPECT_EQ(single_error("\"\""), SyntaxError::EmptyKey);
}

TEST(CmdlineTokenizer, UnterminatedQuoteTakesTheRestOfTheLine) {
    auto t = tokens("a=1 msg=\"oops b=2 c=3");
    ASSERT_EQ(t.size(), 2u);
    EXPECT_EQ(t[1].error, SyntaxError::UnterminatedQuote);
    EXPECT_EQ(sv(t[1].text), "msg=\"oops b=2 c=3");
    EXPECT_TRUE(t[1].option.key.empty());
    EXPECT_EQ(single_error("\""), SyntaxError::UnterminatedQuote);
    EXPECT_EQ(single_error("k=\"a\\\""), SyntaxError::UnterminatedQuote);
}

TEST(CmdlineTokenizer, MisplacedQuotes) {
    EXPECT_EQ(single_error("ke\"y\"=v"), SyntaxError::MisplacedQuote);
    EXPECT_EQ(single_error("key=a\"b\""), SyntaxError::MisplacedQuote);
    EXPECT_EQ(single_error("key=\"a\"b"), SyntaxError::MisplacedQuote);
    EXPECT_EQ(single_error("\"a\"b"), SyntaxError::MisplacedQuote);
    EXPECT_EQ(single_error("\"k=\"v\"\""), SyntaxError::MisplacedQuote);
}

TEST(CmdlineTokenizer, MalformedTokenDoesNotHideTheRest) {
    auto t = tokens("=bad good=1 ke\"y\"=2 last");
    ASSERT_EQ(t.size(), 4u);
    EXPECT_EQ(t[0].error, SyntaxError::EmptyKey);
    expect_option(t[1], "good", "1", true);
    EXPECT_EQ(t[2].error, SyntaxError::MisplacedQuote);
    expect_option(t[3], "last", "", false);
}

TEST(CmdlineTokenizer, DescribeSyntaxErrors) {
    EXPECT_EQ(sv(kernel::cmdline::describe(SyntaxError::EmptyKey)), "option has an empty name");
    EXPECT_FALSE(kernel::cmdline::describe(SyntaxError::UnterminatedQuote).empty());
    EXPECT_FALSE(kernel::cmdline::describe(SyntaxError::MisplacedQuote).empty());
}

TEST(CmdlineLookup, FindsTheLastWellFormedOption) {
    const char* line = "console=vga test console=serial console=\"bad";
    auto console = kernel::cmdline::lookup(line, "console");
    ASSERT_TRUE(console.has_value());
    EXPECT_EQ(sv(console->value), "serial");
    auto test = kernel::cmdline::lookup(line, "test");
    ASSERT_TRUE(test.has_value());
    EXPECT_FALSE(test->has_value);
    EXPECT_FALSE(kernel::cmdline::lookup(line, "missing").has_value());
    EXPECT_FALSE(kernel::cmdline::lookup(line, "consol").has_value());
    EXPECT_FALSE(kernel::cmdline::lookup("", "x").has_value());
}
