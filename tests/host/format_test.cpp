// Host tests for kfmt, the kernel formatter, with {fmt} 9 as the oracle.
//
// Specific cases pin down behaviour; the sweeps generate specs and values
// (fixed seeds) and require kfmt and {fmt} to agree both on whether a spec is
// valid for the argument's type and, when it is, on the exact output. The
// sweeps go through the run-time entry points (vformat_to and the checker
// behind format_string) because their specs are built at run time; the
// compile-time path is covered by the specific cases and tests/host/compile_fail.
#include "lib/format/format.hpp"

#include <fmt/format.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>
#include <cstring>
#include <limits>
#include <random>
#include <string>
#include <string_view>
#include <vector>

namespace {

using kfmt::Arg;
using kfmt::ArgKind;

// An output with only put(): the per-character path.
struct PutOut {
    std::string text;
    void put(char c) { text += c; }
};

// An output with write(): the formatter must use it and never put().
struct WriteOut {
    std::string text;
    int writes = 0;
    void put(char) { ADD_FAILURE() << "put() used although write() exists"; }
    void write(const char* data, usize size) {
        text.append(data, size);
        ++writes;
    }
};

ktl::string_view to_ktl(std::string_view s) { return {s.data(), s.size()}; }
std::string to_std(ktl::string_view s) { return {s.data(), s.size()}; }

// Formats through every public entry point and insists they agree.
template <typename... Args>
std::string kf(kfmt::format_string<ktl::type_identity_t<Args>...> fmt, const Args&... args) {
    PutOut put_out;
    kfmt::format_to(put_out, fmt, args...);
    WriteOut write_out;
    kfmt::format_to(write_out, fmt, args...);
    EXPECT_EQ(put_out.text, write_out.text);

    char buf[512];
    const usize full = kfmt::format_to_n(buf, sizeof(buf), fmt, args...);
    EXPECT_EQ(full, put_out.text.size());
    if (full < sizeof(buf)) {
        EXPECT_EQ(std::string(buf), put_out.text);
    }

    kfmt::Buffer<512> buffer;
    kfmt::format_to(buffer, fmt, args...);
    if (put_out.text.size() <= 512) {
        EXPECT_EQ(to_std(buffer.view()), put_out.text);
    }
    return put_out.text;
}

std::string kf_runtime(std::string_view fmt, const Arg* args, usize count) {
    PutOut out;
    kfmt::Sink sink(out);
    kfmt::vformat_to(sink, to_ktl(fmt), args, count);
    return out.text;
}

const char* kf_check(std::string_view fmt, const ArgKind* kinds, usize count) {
    return kfmt::detail::check_format(to_ktl(fmt), kinds, count);
}

// {fmt}'s own compile-time checker, run at run time: the format_string
// constructor's code path rather than the (more lenient) run-time one.
template <typename T>
bool fmt_accepts(std::string_view fmt_str) {
    using Checker = fmt::detail::format_string_checker<char, fmt::detail::error_handler, T>;
    const fmt::string_view s(fmt_str.data(), fmt_str.size());
    try {
        fmt::detail::parse_format_string<true>(s, Checker(s, {}));
        return true;
    } catch (const fmt::format_error&) {
        return false;
    }
}

// The core comparison: kfmt given `ours`, {fmt} given `theirs` (the same
// value in the type {fmt} wants, e.g. std::string_view for ktl::string_view).
template <typename Ours, typename Theirs>
::testing::AssertionResult matches_fmt(const std::string& spec_fmt, const Ours& ours,
                                       const Theirs& theirs) {
    const Arg arg = kfmt::make_arg(ours);
    const char* reason = kf_check(spec_fmt, &arg.kind, 1);
    const bool fmt_ok = fmt_accepts<Theirs>(spec_fmt);
    if ((reason == nullptr) != fmt_ok) {
        return ::testing::AssertionFailure()
               << "\"" << spec_fmt << "\": kfmt " << (reason ? "rejects (" : "accepts")
               << (reason ? reason : "") << (reason ? ")" : "") << " but {fmt} "
               << (fmt_ok ? "accepts" : "rejects");
    }
    if (reason != nullptr) return ::testing::AssertionSuccess();

    std::string expected;
    try {
        expected = fmt::format(fmt::runtime(spec_fmt), theirs);
    } catch (const fmt::format_error& e) {
        return ::testing::AssertionFailure()
               << "\"" << spec_fmt << "\": {fmt} accepted the spec, then threw " << e.what();
    }
    const std::string actual = kf_runtime(spec_fmt, &arg, 1);
    if (actual != expected) {
        return ::testing::AssertionFailure()
               << "\"" << spec_fmt << "\": kfmt \"" << actual << "\", {fmt} \"" << expected << "\"";
    }
    char buf[64];
    const usize full = kfmt::vformat_to_n(buf, sizeof(buf), to_ktl(spec_fmt), &arg, 1);
    const usize kept = std::min(full, sizeof(buf) - 1);
    if (full != expected.size() || std::string(buf, kept) != expected.substr(0, kept) ||
        buf[kept] != '\0') {
        return ::testing::AssertionFailure()
               << "\"" << spec_fmt << "\": vformat_to_n gave \"" << buf << "\" (" << full << ")";
    }
    return ::testing::AssertionSuccess();
}

// ---- Spec generation --------------------------------------------------------

struct SpecAxes {
    std::vector<std::string> fill_aligns;
    std::vector<std::string> signs;
    std::vector<std::string> alts;
    std::vector<std::string> zeros;
    std::vector<std::string> widths;
    std::vector<std::string> precisions;
    std::vector<std::string> types;

    [[nodiscard]] usize count() const {
        return fill_aligns.size() * signs.size() * alts.size() * zeros.size() * widths.size() *
               precisions.size() * types.size();
    }
    // Mixed-radix decoding of i into one choice per axis.
    [[nodiscard]] std::string spec(usize i) const {
        std::string s = "{:";
        for (const auto* axis :
             {&fill_aligns, &signs, &alts, &zeros, &widths, &precisions, &types}) {
            s += (*axis)[i % axis->size()];
            i /= axis->size();
        }
        return s + "}";
    }
};

std::vector<std::string> fill_aligns() {
    std::vector<std::string> out = {""};
    for (const char* align : {"<", ">", "^"}) {
        out.emplace_back(align);
        // '0', '+', '#' and ' ' as fills also test that the parser reads them as
        // fill rather than as flags.
        for (const char* fill : {"*", "0", "+", "#", " ", "x"})
            out.push_back(fill + std::string(align));
    }
    return out;
}

std::vector<std::string> widths(int max) {
    std::vector<std::string> out = {""};
    for (int w = 0; w <= max; ++w) out.push_back(std::to_string(w));
    return out;
}

// Every flag is on each axis, valid for the type or not, so that the
// acceptance rules are swept too.
SpecAxes all_axes(std::vector<std::string> widths_axis) {
    return {fill_aligns(),
            {"", "+", "-", " "},
            {"", "#"},
            {"", "0"},
            std::move(widths_axis),
            {"", ".0", ".2", ".7"},
            {"", "d", "x", "X", "b", "B", "o", "c", "s", "p", "e"}};
}

// The axes an integer accepts, for the value sweeps.
SpecAxes integer_axes() {
    return {fill_aligns(),
            {"", "+", "-", " "},
            {"", "#"},
            {"", "0"},
            widths(24),
            {""},
            {"", "d", "x", "X", "b", "B", "o"}};
}

// ---- Deterministic pseudo-random values -------------------------------------

class Random {
public:
    explicit Random(u64 seed) : engine_(seed) {}
    u64 next() { return engine_(); }
    // Uniform bit patterns are almost all huge; shifting by a random amount
    // gives every magnitude (and, after truncation, every sign) a fair share.
    u64 varied() { return next() >> (next() % 64); }
    usize below(usize n) { return static_cast<usize>(next() % n); }

private:
    std::mt19937_64 engine_;
};

template <typename T>
std::vector<T> integer_values(Random& random, usize count) {
    using L = std::numeric_limits<T>;
    std::vector<T> values = {L::min(),
                             L::max(),
                             T(0),
                             T(1),
                             static_cast<T>(L::max() - 1),
                             static_cast<T>(L::min() + 1),
                             T(7),
                             T(8),
                             T(10),
                             T(16),
                             T(100)};
    if constexpr (L::is_signed) values.insert(values.end(), {T(-1), T(-8), T(-10), T(-100)});
    while (values.size() < count) values.push_back(static_cast<T>(random.varied()));
    return values;
}

// ---- Specific cases -------------------------------------------------------

// Both sides see the identical literal, so both compile-time checkers run.
#define EXPECT_LIKE_FMT(...) EXPECT_EQ(kf(__VA_ARGS__), fmt::format(__VA_ARGS__))

TEST(FormatBasic, LiteralsAndEscapes) {
    EXPECT_EQ(kf(""), "");
    EXPECT_EQ(kf("plain text"), "plain text");
    EXPECT_EQ(kf("{{}}"), "{}");
    EXPECT_EQ(kf("a{{b}}c{{}}"), "a{b}c{}");
    EXPECT_EQ(kf("{}{}{}", 1, 2, 3), "123");
    EXPECT_EQ(kf("x{}y", 5), "x5y");
    EXPECT_EQ(kf("{{{}}}", 7), "{7}");
}

TEST(FormatBasic, Integers) {
    EXPECT_LIKE_FMT("{}", 0);
    EXPECT_LIKE_FMT("{}", -1);
    EXPECT_LIKE_FMT("{}", std::numeric_limits<i64>::min());
    EXPECT_LIKE_FMT("{}", std::numeric_limits<u64>::max());
    EXPECT_LIKE_FMT("{:x} {:X} {:b} {:B} {:o} {:d}", 255, 255, 5, 5, 8, 42);
    EXPECT_LIKE_FMT("{:#x} {:#X} {:#b} {:#B} {:#o} {:#o}", 255, 255, 5, 5, 8, 0);
    EXPECT_LIKE_FMT("{:x}", -255);
    EXPECT_LIKE_FMT("{:#x}", std::numeric_limits<i64>::min());
    EXPECT_LIKE_FMT("{:b}", std::numeric_limits<u64>::max());
    EXPECT_LIKE_FMT("{:+} {:+} {: } {: } {:-}", 5, -5, 5, -5, 5);
    EXPECT_LIKE_FMT("{:08}", -42);
    EXPECT_LIKE_FMT("{:#010x}", 0xbeef);
    EXPECT_LIKE_FMT("{:+#012b}", 5);
    EXPECT_LIKE_FMT("{:<6}|{:>6}|{:^6}|{:^7}", 42, 42, 42, 42);
    EXPECT_LIKE_FMT("{:*^9}", -42);
    EXPECT_LIKE_FMT("{:*<05}", 42);  // {fmt} 9: '0' overrides the fill.
    EXPECT_LIKE_FMT("{:>05}", -42);
    EXPECT_LIKE_FMT("{:c}", 65);
    EXPECT_LIKE_FMT("{:c}", -65);  // {fmt} prints the magnitude's byte.
    EXPECT_LIKE_FMT("{:>4c}|{:04c}", 66, 67);
    EXPECT_LIKE_FMT("{} {} {} {}", i8{-128}, u8{255}, i16{-32768}, u16{65535});
    EXPECT_LIKE_FMT("{} {}", static_cast<long long>(-3), static_cast<unsigned long long>(3));
    EXPECT_LIKE_FMT("{} {}", static_cast<signed char>(65), static_cast<unsigned char>(65));
}

TEST(FormatBasic, Width) {
    EXPECT_LIKE_FMT("{:1}", 12345);
    EXPECT_LIKE_FMT("{:24}", std::numeric_limits<i64>::min());
    EXPECT_LIKE_FMT("{:100}", 1);
    EXPECT_LIKE_FMT("{:0100}", 1);
}

TEST(FormatBasic, Bool) {
    EXPECT_LIKE_FMT("{} {}", true, false);
    EXPECT_LIKE_FMT("{:s} {:d} {:x} {:#b}", true, true, false, true);
    EXPECT_LIKE_FMT("{:>6}|{:<6}|{:^7}", true, false, true);
    EXPECT_LIKE_FMT("{:06}", true);  // {fmt} 9 pads on the left with zeros.
}

TEST(FormatBasic, Char) {
    EXPECT_LIKE_FMT("{}{}{}", 'a', 'b', 'c');
    EXPECT_LIKE_FMT("{:c} {:d} {:x} {:#o}", 'A', 'A', 'A', 'A');
    EXPECT_LIKE_FMT("{:d}", static_cast<char>(-1));
    EXPECT_LIKE_FMT("{:+d}", 'A');
    EXPECT_LIKE_FMT("{:>3}|{:<3}|{:^3}|{:*^4}", 'x', 'y', 'z', 'w');
    EXPECT_LIKE_FMT("{:<03}", 'q');
}

TEST(FormatBasic, Strings) {
    const char* cstr = "hello";
    char array[] = "world";
    const std::string_view std_sv = "view!";
    const ktl::string_view sv = to_ktl(std_sv);
    EXPECT_EQ(kf("{} {} {} {}", cstr, array, sv, "lit"),
              fmt::format("{} {} {} {}", cstr, array, std_sv, "lit"));
    EXPECT_EQ(kf("{:s}|{:>8}|{:<8}|{:^8}|{:*^9}", cstr, cstr, cstr, cstr, cstr),
              fmt::format("{:s}|{:>8}|{:<8}|{:^8}|{:*^9}", cstr, cstr, cstr, cstr, cstr));
    EXPECT_EQ(
        kf("{:.2}|{:.0}|{:.10}|{:8.3}|{:>8.3}", sv, sv, sv, sv, sv),
        fmt::format("{:.2}|{:.0}|{:.10}|{:8.3}|{:>8.3}", std_sv, std_sv, std_sv, std_sv, std_sv));
    EXPECT_EQ(kf("[{:5}]", ktl::string_view()), "[     ]");
    EXPECT_EQ(kf("{}", static_cast<char*>(array)), "world");
}

TEST(FormatBasic, NullCString) {
    const char* null = nullptr;
    EXPECT_EQ(kf("{}", null), "(null)");
    EXPECT_EQ(kf("[{:>8}]", null), "[  (null)]");
    EXPECT_EQ(kf("[{:.3}]", null), "[(nu]");
    EXPECT_EQ(kf("{:p}", null), "0x0");
}

TEST(FormatBasic, UnterminatedStrings) {
    // A char array is bounded by its size, and a C string with a precision is
    // read no further than the precision; ASan would catch any overread.
    const char array[3] = {'a', 'b', 'c'};
    EXPECT_EQ(kf("{}", array), "abc");
    const char embedded[6] = {'a', 'b', '\0', 'x', 'y', '\0'};
    EXPECT_EQ(kf("{}", embedded), "ab");
    auto* heap = new char[3]{'x', 'y', 'z'};
    const char* raw = heap;
    EXPECT_EQ(kf("{:.3}|{:.2}", raw, raw), "xyz|xy");
    delete[] heap;
}

int some_function() { return 0; }

TEST(FormatBasic, Pointers) {
    int object = 0;
    int* p = &object;
    const void* cvp = p;
    EXPECT_EQ(kf("{}", p), fmt::format("{}", fmt::ptr(p)));
    EXPECT_EQ(kf("{:p}", cvp), fmt::format("{:p}", cvp));
    EXPECT_EQ(kf("{:>24}|{:<24}|{:^24}", cvp, cvp, cvp),
              fmt::format("{:>24}|{:<24}|{:^24}", cvp, cvp, cvp));
    EXPECT_EQ(kf("{:*>24p}", p), fmt::format("{:*>24p}", cvp));
    EXPECT_EQ(kf("{}", nullptr), "0x0");
    EXPECT_EQ(kf("{}", static_cast<void*>(nullptr)), "0x0");
    EXPECT_EQ(kf("{}", reinterpret_cast<const void*>(uptr{0xffff'8000'0000'1000})),
              "0xffff800000001000");
    volatile int vol = 0;
    EXPECT_EQ(kf("{}", &vol), fmt::format("{}", fmt::ptr(const_cast<int*>(&vol))));
    const auto fn = &some_function;
    EXPECT_EQ(kf("{}", fn), fmt::format("0x{:x}", reinterpret_cast<uintptr_t>(fn)));
    const char* str = "text";
    EXPECT_EQ(kf("{:p}", str), fmt::format("{:p}", static_cast<const void*>(str)));
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

TEST(FormatBasic, UsesWriteWhenAvailable) {
    WriteOut out;
    kfmt::format_to(out, "abc{:>20}def{}", 1, "xyz");
    EXPECT_EQ(out.text, "abc                   1defxyz");
    // Runs of text and padding, not one call per character.
    EXPECT_LE(out.writes, 8);
}

TEST(FormatBasic, FormatToSink) {
    PutOut out;
    kfmt::Sink sink(out);
    kfmt::format_to(sink, "{}-{}", 1, 2);
    EXPECT_EQ(out.text, "1-2");
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

// ---- format_to_n and Buffer ------------------------------------------------

TEST(FormatToN, Truncation) {
    char buf[16];
    std::memset(buf, '#', sizeof(buf));
    EXPECT_EQ(kfmt::format_to_n(buf, 8, "{}-{}", 12345, 67890), 11u);
    EXPECT_STREQ(buf, "12345-6");
    EXPECT_EQ(buf[8], '#');  // Nothing past cap.

    std::memset(buf, '#', sizeof(buf));
    EXPECT_EQ(kfmt::format_to_n(buf, 6, "{}", "hello"), 5u);  // Exact fit.
    EXPECT_STREQ(buf, "hello");
    EXPECT_EQ(buf[6], '#');

    std::memset(buf, '#', sizeof(buf));
    EXPECT_EQ(kfmt::format_to_n(buf, 5, "{}", "hello"), 5u);  // One short.
    EXPECT_STREQ(buf, "hell");

    std::memset(buf, '#', sizeof(buf));
    EXPECT_EQ(kfmt::format_to_n(buf, 1, "{}", "hello"), 5u);
    EXPECT_EQ(buf[0], '\0');
    EXPECT_EQ(buf[1], '#');

    EXPECT_EQ(kfmt::format_to_n(nullptr, 0, "{:>100}", 1), 100u);
    std::memset(buf, '#', sizeof(buf));
    EXPECT_EQ(kfmt::format_to_n(buf, 0, "abc"), 3u);
    EXPECT_EQ(buf[0], '#');

    EXPECT_EQ(kfmt::format_to_n(buf, sizeof(buf), ""), 0u);
    EXPECT_STREQ(buf, "");
}

TEST(FormatToN, EveryCapacity) {
    const std::string expected = fmt::format("{:*^30}|{:#x}", "centre", 0xdeadbeefu);
    for (usize cap = 0; cap <= expected.size() + 2; ++cap) {
        std::vector<char> buf(cap + 4, '#');
        const usize full =
            kfmt::format_to_n(buf.data(), cap, "{:*^30}|{:#x}", "centre", 0xdeadbeefu);
        ASSERT_EQ(full, expected.size());
        if (cap > 0) {
            const usize kept = std::min(cap - 1, expected.size());
            EXPECT_EQ(std::string(buf.data()), expected.substr(0, kept)) << cap;
        }
        for (usize i = cap; i < buf.size(); ++i) ASSERT_EQ(buf[i], '#') << cap;
    }
}

TEST(FormatBuffer, Basics) {
    kfmt::Buffer<16> buf;
    EXPECT_EQ(buf.size(), 0u);
    EXPECT_STREQ(buf.c_str(), "");
    EXPECT_EQ(decltype(buf)::capacity(), 16u);
    kfmt::format_to(buf, "{}+{}={}", 2, 2, 4);
    EXPECT_EQ(to_std(buf.view()), "2+2=4");
    EXPECT_STREQ(buf.c_str(), "2+2=4");
    EXPECT_FALSE(buf.truncated());
    kfmt::format_to(buf, "{:>11}", "x");  // Appends; exactly fills the buffer.
    EXPECT_EQ(to_std(buf.view()), "2+2=4          x");
    EXPECT_FALSE(buf.truncated());
    buf.put('!');
    EXPECT_TRUE(buf.truncated());
    EXPECT_EQ(buf.size(), 16u);
    buf.clear();
    EXPECT_EQ(buf.size(), 0u);
    EXPECT_FALSE(buf.truncated());
    kfmt::format_to(buf, "{:#b}", 0xffffu);
    EXPECT_EQ(to_std(buf.view()), "0b11111111111111");
    EXPECT_STREQ(buf.c_str(), "0b11111111111111");
    EXPECT_TRUE(buf.truncated());
}

TEST(FormatBuffer, TinyBuffer) {
    kfmt::Buffer<1> buf;
    kfmt::format_to(buf, "{}", 123);
    EXPECT_EQ(to_std(buf.view()), "1");
    EXPECT_TRUE(buf.truncated());
}

// ---- Sweeps against {fmt} ---------------------------------------------------

// Every spec on the axes, for one or two values of each kind: the acceptance
// rules and the output for whatever is accepted.
template <typename Ours, typename Theirs>
void sweep_all_specs(const SpecAxes& axes, const Ours& ours, const Theirs& theirs,
                     usize* compared) {
    for (usize i = 0; i < axes.count(); ++i) {
        const std::string spec = axes.spec(i);
        ASSERT_TRUE(matches_fmt(spec, ours, theirs));
        ++*compared;
    }
}

TEST(FormatSweep, AcceptanceAndOutputForEveryKind) {
    const SpecAxes axes = all_axes({"", "0", "1", "7"});
    usize compared = 0;
    sweep_all_specs(axes, -42, -42, &compared);
    sweep_all_specs(axes, 42u, 42u, &compared);
    sweep_all_specs(axes, i8{-7}, i8{-7}, &compared);
    sweep_all_specs(axes, u64{0}, u64{0}, &compared);
    sweep_all_specs(axes, true, true, &compared);
    sweep_all_specs(axes, 'A', 'A', &compared);
    sweep_all_specs(axes, to_ktl("text"), std::string_view("text"), &compared);
    const char* cstr = "cstring";
    sweep_all_specs(axes, cstr, cstr, &compared);
    const void* ptr = reinterpret_cast<const void*>(uptr{0x1234abcd});
    sweep_all_specs(axes, ptr, ptr, &compared);
    EXPECT_GT(compared, 300'000u);
}

// Random values per integer type, each with three random specs: 8 000 keeps
// the sweep's share of the full run's CPU time small (20 000 took 12 s under
// ASan); the edges and every spec on the axes are swept in full below.
constexpr usize kRandomIntegers = 8'000;

template <typename T>
usize sweep_integer_type(u64 seed) {
    Random random(seed);
    const SpecAxes axes = integer_axes();
    const std::vector<T> values = integer_values<T>(random, kRandomIntegers);
    usize compared = 0;
    for (const T value : values) {
        for (int k = 0; k < 3; ++k) {
            const std::string spec = axes.spec(random.below(axes.count()));
            EXPECT_TRUE(matches_fmt(spec, value, value)) << "value " << +value;
            ++compared;
        }
        // Plain decimal and hex for every value too.
        EXPECT_TRUE(matches_fmt("{}", value, value));
        EXPECT_TRUE(matches_fmt("{:#x}", value, value));
        compared += 2;
        if (::testing::Test::HasFailure()) break;
    }
    return compared;
}

template <typename T>
void sweep_integer_edges() {
    using L = std::numeric_limits<T>;
    const SpecAxes axes = {fill_aligns(),
                           {"", "+", " "},
                           {"", "#"},
                           {"", "0"},
                           {"", "1", "5", "12", "24"},
                           {""},
                           {"", "d", "x", "X", "b", "o"}};
    for (const T value : {L::min(), L::max(), T(0), static_cast<T>(-1)}) {
        for (usize i = 0; i < axes.count(); ++i) {
            ASSERT_TRUE(matches_fmt(axes.spec(i), value, value)) << "value " << +value;
        }
    }
}

TEST(FormatSweep, RandomIntegers) {
    usize compared = 0;
    compared += sweep_integer_type<u8>(1);
    compared += sweep_integer_type<u16>(2);
    compared += sweep_integer_type<u32>(3);
    compared += sweep_integer_type<u64>(4);
    compared += sweep_integer_type<i8>(5);
    compared += sweep_integer_type<i16>(6);
    compared += sweep_integer_type<i32>(7);
    compared += sweep_integer_type<i64>(8);
    compared += sweep_integer_type<long long>(9);
    compared += sweep_integer_type<unsigned long long>(10);
    EXPECT_EQ(compared, 10u * kRandomIntegers * 5u);
}

TEST(FormatSweep, IntegerEdges) {
    sweep_integer_edges<u8>();
    sweep_integer_edges<u16>();
    sweep_integer_edges<u32>();
    sweep_integer_edges<u64>();
    sweep_integer_edges<i8>();
    sweep_integer_edges<i16>();
    sweep_integer_edges<i32>();
    sweep_integer_edges<i64>();
}

TEST(FormatSweep, EveryChar) {
    const SpecAxes axes = {fill_aligns(),
                           {"", "+"},
                           {"", "#"},
                           {"", "0"},
                           {"", "3"},
                           {""},
                           {"", "c", "d", "x", "X", "b", "o"}};
    for (int c = -128; c < 128; ++c) {
        const char value = static_cast<char>(c);
        for (usize i = 0; i < axes.count(); i += 1 + static_cast<usize>(c + 128) % 5)
            ASSERT_TRUE(matches_fmt(axes.spec(i), value, value)) << "char " << c;
    }
}

TEST(FormatSweep, Strings) {
    const SpecAxes axes = {fill_aligns(), {""},       {""},
                           {""},          widths(24), {"", ".0", ".1", ".3", ".5", ".30"},
                           {"", "s"}};
    for (const char* text : {"", "a", "hello", "a longer string of text, 33 chars"}) {
        const std::string_view std_sv = text;
        for (usize i = 0; i < axes.count(); ++i) {
            const std::string spec = axes.spec(i);
            ASSERT_TRUE(matches_fmt(spec, to_ktl(std_sv), std_sv));
            ASSERT_TRUE(matches_fmt(spec, text, text));
        }
    }
    char array[] = "array";
    for (usize i = 0; i < axes.count(); ++i) ASSERT_TRUE(matches_fmt(axes.spec(i), array, array));
}

TEST(FormatSweep, Pointers) {
    Random random(11);
    const SpecAxes axes = {fill_aligns(), {""}, {""}, {""}, widths(24), {""}, {"", "p"}};
    for (int n = 0; n < 2'000; ++n) {
        const uptr address = n == 0 ? 0 : static_cast<uptr>(random.varied());
        const auto* value = reinterpret_cast<const void*>(address);
        for (int k = 0; k < 5; ++k)
            ASSERT_TRUE(matches_fmt(axes.spec(random.below(axes.count())), value, value));
    }
}

TEST(FormatSweep, Bools) {
    const SpecAxes axes = {fill_aligns(),
                           {""},
                           {"", "#"},
                           {"", "0"},
                           widths(12),
                           {""},
                           {"", "s", "d", "x", "X", "b", "B", "o"}};
    for (const bool value : {false, true})
        for (usize i = 0; i < axes.count(); ++i)
            ASSERT_TRUE(matches_fmt(axes.spec(i), value, value));
}

}  // namespace
