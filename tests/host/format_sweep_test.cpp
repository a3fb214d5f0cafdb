// kfmt against {fmt} 9 on generated specs and values (fixed seeds): both must
// agree on which specs a type accepts and on the output. Run-time specs take
// vformat_to's path; the other format_* files and compile_fail/ cover the rest.
#include "lib/format/format.hpp"

#include <fmt/format.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <limits>
#include <random>
#include <string>
#include <string_view>
#include <vector>

#include "format_harness.hpp"

namespace {

using kfmt::Arg;
using kfmt_test::kf_check;
using kfmt_test::kf_runtime;
using kfmt_test::to_ktl;

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
