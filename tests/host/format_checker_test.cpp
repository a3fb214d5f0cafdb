// kfmt's format strings: literals, escapes and argument indexing, the reason
// the checker gives for each mistake, and unchecked run-time strings.
#include "lib/format/format.hpp"

#include <fmt/format.h>
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "format_harness.hpp"

namespace {

using kfmt::Arg;
using kfmt::ArgKind;
using kfmt_test::kf;
using kfmt_test::kf_check;
using kfmt_test::kf_runtime;
using kfmt_test::PutOut;

TEST(FormatBasic, LiteralsAndEscapes) {
    EXPECT_EQ(kf(""), "");
    EXPECT_EQ(kf("plain text"), "plain text");
    EXPECT_EQ(kf("{{}}"), "{}");
    EXPECT_EQ(kf("a{{b}}c{{}}"), "a{b}c{}");
    EXPECT_EQ(kf("{}{}{}", 1, 2, 3), "123");
    EXPECT_EQ(kf("x{}y", 5), "x5y");
    EXPECT_EQ(kf("{{{}}}", 7), "{7}");
}

TEST(FormatBasic, ManualIndexing) {
    EXPECT_LIKE_FMT("{1} {0}", 1, 2);
    EXPECT_LIKE_FMT("{0} {0:x} {0:#b}", 10);
    EXPECT_LIKE_FMT("{2:>4}{1:<3}{0}", 'a', "bc", 7);
    ArgKind two_ints[] = {ArgKind::signed_int, ArgKind::signed_int};
    EXPECT_STREQ(kf_check("{0}{0}", two_ints, 2), "more arguments than the format string uses");
    EXPECT_STREQ(kf_check("{2}", two_ints, 2), "argument index out of range");
    EXPECT_STREQ(kf_check("{0}{}", two_ints, 2),
                 "cannot switch from manual to automatic argument indexing");
    EXPECT_STREQ(kf_check("{}{1}", two_ints, 2),
                 "cannot switch from automatic to manual argument indexing");
    EXPECT_NE(kf_check("{01}", two_ints, 2), nullptr);
    EXPECT_NE(kf_check("{1x}", two_ints, 2), nullptr);
    EXPECT_NE(kf_check("{99999999999}", two_ints, 2), nullptr);
    EXPECT_NE(kf_check("{name}", two_ints, 2), nullptr);
}

// ---- Checker --------------------------------------------------------------

TEST(FormatCheck, Reasons) {
    const ArgKind one_int[] = {ArgKind::signed_int};
    const ArgKind one_string[] = {ArgKind::string};
    const struct {
        const char* fmt;
        const ArgKind* kinds;
        usize count;
        const char* reason;  // nullptr: valid.
    } cases[] = {
        {"{}", one_int, 1, nullptr},
        {"{:}", one_int, 1, nullptr},
        {"", one_int, 0, nullptr},
        {"{}", one_int, 0, "more replacement fields than arguments"},
        {"x", one_int, 1, "more arguments than the format string uses"},
        {"{:s}", one_int, 1, "invalid type for an integer (expected d x X b B o c)"},
        {"{:x}", one_string, 1, "invalid type for a string (expected s)"},
        {"{:+}", one_string, 1, "a sign ('+', '-' or ' ') needs a numeric argument"},
        {"{:.3}", one_int, 1, "precision is only allowed for strings"},
        {"{", one_int, 1, "unmatched '{' in format string (write '{{' for a literal '{')"},
        {"}", one_int, 0, "unmatched '}' in format string (write '}}' for a literal '}')"},
        {"{:", one_int, 1, "missing '}' in format string"},
        {"{:5", one_int, 1, "missing '}' in format string"},
        {"{:d ", one_int, 1, "unexpected character in format spec, or missing '}'"},
        {"{:{}}", one_int, 1, "dynamic width ('{}' inside a spec) is not supported"},
        {"{:.{}}", one_string, 1, "dynamic precision ('{}' inside a spec) is not supported"},
        {"{:.}", one_string, 1, "missing precision after '.'"},
        {"{:L}", one_int, 1, "locale-specific formatting ('L') is not supported"},
        {"{:q}", one_int, 1, "invalid type in format spec (expected d x X b B o c s p)"},
        // {fmt}'s debug presentation is not supported.
        {"{:?}", one_string, 1, "invalid type in format spec (expected d x X b B o c s p)"},
        {"{:3000000000}", one_int, 1, "width is too big"},
        {"{:2147483647}", one_int, 1, nullptr},
        {"{:{<5}", one_int, 1, "'{' cannot be a fill character"},
    };
    for (const auto& c : cases) {
        const char* reason = kf_check(c.fmt, c.kinds, c.count);
        if (c.reason == nullptr)
            EXPECT_EQ(reason, nullptr) << c.fmt << ": " << reason;
        else
            EXPECT_STREQ(reason, c.reason) << c.fmt;
    }
}

TEST(FormatCheck, ArgumentKinds) {
    using kfmt::detail::kind_of;
    static_assert(kind_of<bool>() == ArgKind::boolean);
    static_assert(kind_of<char>() == ArgKind::character);
    static_assert(kind_of<const char>() == ArgKind::character);
    static_assert(kind_of<signed char>() == ArgKind::signed_int);
    static_assert(kind_of<unsigned char>() == ArgKind::unsigned_int);
    static_assert(kind_of<i64>() == ArgKind::signed_int);
    static_assert(kind_of<unsigned long long>() == ArgKind::unsigned_int);
    static_assert(kind_of<const char*>() == ArgKind::cstring);
    static_assert(kind_of<char* const>() == ArgKind::cstring);
    static_assert(kind_of<char[4]>() == ArgKind::string);
    static_assert(kind_of<const char[4]>() == ArgKind::string);
    static_assert(kind_of<ktl::string_view>() == ArgKind::string);
    static_assert(kind_of<int*>() == ArgKind::pointer);
    static_assert(kind_of<const volatile void*>() == ArgKind::pointer);
    static_assert(kind_of<decltype(nullptr)>() == ArgKind::pointer);
    static_assert(kind_of<u8*>() == ArgKind::pointer);
    static_assert(kind_of<wchar_t>() == ArgKind::none);
    static_assert(kind_of<char8_t>() == ArgKind::none);
    static_assert(kind_of<const char16_t*>() == ArgKind::none);
    static_assert(kind_of<int[4]>() == ArgKind::none);
    enum class E { a };
    static_assert(kind_of<E>() == ArgKind::none);
    static_assert(kind_of<std::string>() == ArgKind::none);
    SUCCEED();
}

// ---- Run-time robustness ---------------------------------------------------

TEST(FormatRuntime, UncheckedStringsStayInBounds) {
    const Arg arg = kfmt::make_arg(42);
    EXPECT_EQ(kf_runtime("a{}b", &arg, 1), "a42b");
    // A field without an argument is copied out verbatim.
    EXPECT_EQ(kf_runtime("{} {} {:x}!", &arg, 1), "42 {} {:x}!");
    EXPECT_EQ(kf_runtime("{3}", &arg, 1), "{3}");
    // A malformed field ends formatting; the rest is copied out verbatim.
    EXPECT_EQ(kf_runtime("x{}y{:q}z{}", &arg, 1), "x42y{:q}z{}");
    EXPECT_EQ(kf_runtime("x{", &arg, 1), "x{");
    EXPECT_EQ(kf_runtime("x}y", &arg, 1), "x}y");
    EXPECT_EQ(kf_runtime("{:", &arg, 1), "{:");
    EXPECT_EQ(kf_runtime("{:>", &arg, 1), "{:>");
    EXPECT_EQ(kf_runtime("{:.", &arg, 1), "{:.");
    EXPECT_EQ(kf_runtime("{0", &arg, 1), "{0");
    // Type letters that the check would reject still print something sane.
    EXPECT_EQ(kf_runtime("{0:s}|{0:p}", &arg, 1), "42|42");
    // Every prefix of a valid string, which ASan watches for overreads.
    const std::string full = "a{:*^+#012}b{{c}}";
    for (usize n = 0; n <= full.size(); ++n) {
        const std::string prefix = full.substr(0, n);
        std::vector<char> exact(prefix.begin(), prefix.end());
        PutOut out;
        kfmt::Sink sink(out);
        kfmt::vformat_to(sink, ktl::string_view(exact.data(), exact.size()), &arg, 1);
    }
    EXPECT_EQ(kf_runtime(full, &arg, 1), fmt::format(fmt::runtime(full), 42));
}

TEST(FormatRuntime, NoArguments) {
    EXPECT_EQ(kf_runtime("just {{text}}", nullptr, 0), "just {text}");
    EXPECT_EQ(kf_runtime("{}", nullptr, 0), "{}");
}

}  // namespace
