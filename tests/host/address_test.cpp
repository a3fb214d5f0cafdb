// The kernel-wide address vocabulary (src/lib/address.hpp, src/lib/units.hpp,
// src/lib/ktl/bit.hpp) and the kfmt::Formatter hook that prints it
// (src/lib/format/formatter.hpp).
#include "lib/address.hpp"

#include <gtest/gtest.h>

#include <string>

#include "lib/format/format.hpp"
#include "lib/units.hpp"

namespace {

constexpr u64 kTop = ~0ULL;

PhysRange range(u64 base, u64 end) { return PhysRange{PhysAddr{base}, PhysAddr{end}}; }

template <typename... Args>
std::string format(kfmt::format_string<ktl::type_identity_t<Args>...> fmt, const Args&... args) {
    kfmt::Buffer<256> out;
    kfmt::format_to(out, fmt, args...);
    EXPECT_FALSE(out.truncated());
    return std::string(out.view().data(), out.view().size());
}

TEST(Units, AreDefinedOnce) {
    EXPECT_EQ(kKiB, 1024u);
    EXPECT_EQ(kMiB, 1024u * 1024u);
    EXPECT_EQ(kGiB, 1024u * kMiB);
    EXPECT_EQ(kPageSize, 4096u);
    EXPECT_EQ(1ULL << kPageShift, kPageSize);
}

TEST(Units, AlignmentHelpers) {
    EXPECT_TRUE(ktl::is_power_of_two(1u));
    EXPECT_TRUE(ktl::is_power_of_two(u64{1} << 63));
    EXPECT_FALSE(ktl::is_power_of_two(0u));
    EXPECT_FALSE(ktl::is_power_of_two(12u));
    EXPECT_EQ(ktl::align_up<u64>(0x1001, kPageSize), 0x2000u);
    EXPECT_EQ(ktl::align_up<u64>(0x1000, kPageSize), 0x1000u);
    EXPECT_EQ(ktl::align_down<u64>(0x1fff, kPageSize), 0x1000u);
    EXPECT_TRUE(ktl::is_aligned<u64>(0x2000, kPageSize));
    EXPECT_FALSE(ktl::is_aligned<u64>(0x2001, kPageSize));
}

TEST(Address, ArithmeticAndAlignment) {
    PhysAddr a{0x1234};
    EXPECT_EQ(a.value(), 0x1234u);
    EXPECT_EQ((a + 0x10).value(), 0x1244u);
    EXPECT_EQ((a - 0x34).value(), 0x1200u);
    EXPECT_EQ(PhysAddr{0x3000} - PhysAddr{0x1000}, 0x2000u);
    EXPECT_EQ(a.align_down(kPageSize), PhysAddr{0x1000});
    EXPECT_EQ(a.align_up(kPageSize), PhysAddr{0x2000});
    EXPECT_FALSE(a.is_aligned(kPageSize));
    EXPECT_TRUE(PhysAddr{0x2000}.is_aligned(kPageSize));
    // Saturates instead of wrapping to 0.
    EXPECT_EQ(PhysAddr{kTop - 5}.align_up(kPageSize), PhysAddr{kTop & ~(kPageSize - 1)});
    EXPECT_LT(PhysAddr{1}, PhysAddr{2});
    EXPECT_GE(VirtAddr{2}, VirtAddr{2});
    int object = 0;
    EXPECT_EQ(virt_of(&object).value(), reinterpret_cast<uptr>(&object));
}

TEST(Range, ClampsInsteadOfWrapping) {
    EXPECT_EQ(PhysRange::from_size(0x1000, 0x1000), range(0x1000, 0x2000));
    // The end would wrap past 2^64: it stops at 2^64 - 1.
    EXPECT_EQ(PhysRange::from_size(kTop - 0xff, 0x1000).end(), PhysAddr{kTop});
    // An end below the base is the empty range at the base.
    PhysRange backwards = range(0x2000, 0x1000);
    EXPECT_TRUE(backwards.empty());
    EXPECT_EQ(backwards.base(), PhysAddr{0x2000});
    EXPECT_EQ(backwards.size(), 0u);
}

TEST(Range, SizeContainsOverlaps) {
    PhysRange r = range(0x1000, 0x3000);
    EXPECT_EQ(r.size(), 0x2000u);
    EXPECT_EQ(r.last(), PhysAddr{0x2fff});
    EXPECT_FALSE(r.empty());
    EXPECT_TRUE(r.contains(PhysAddr{0x1000}));
    EXPECT_TRUE(r.contains(PhysAddr{0x2fff}));
    EXPECT_FALSE(r.contains(PhysAddr{0x3000}));
    EXPECT_FALSE(r.contains(PhysAddr{0xfff}));
    EXPECT_TRUE(r.contains(range(0x1000, 0x3000)));
    EXPECT_TRUE(r.contains(range(0x1800, 0x2000)));
    EXPECT_FALSE(r.contains(range(0x1800, 0x3001)));
    EXPECT_FALSE(r.contains(range(0x1800, 0x1800)));  // empty: never "contained"
    EXPECT_TRUE(r.overlaps(range(0x2fff, 0x5000)));
    EXPECT_FALSE(r.overlaps(range(0x3000, 0x5000)));  // only touches
    EXPECT_TRUE(r.touches(range(0x3000, 0x5000)));
    EXPECT_FALSE(r.touches(range(0x3001, 0x5000)));
    EXPECT_FALSE(r.overlaps(range(0x2000, 0x2000)));
    EXPECT_EQ(r.intersect(range(0x2000, 0x9000)), range(0x2000, 0x3000));
    EXPECT_TRUE(r.intersect(range(0x5000, 0x9000)).empty());
    EXPECT_EQ(r.unite(range(0x3000, 0x4000)), range(0x1000, 0x4000));
}

TEST(Range, Rounding) {
    EXPECT_EQ(range(0x1001, 0x4fff).align_inward(kPageSize), range(0x2000, 0x4000));
    EXPECT_TRUE(range(0x1800, 0x2800).align_inward(kPageSize).empty());
    EXPECT_EQ(range(0x1001, 0x4001).align_outward(kPageSize), range(0x1000, 0x5000));
    // Near the top: the end saturates at the last page boundary, the start of
    // the rounding-in does not wrap to 0.
    EXPECT_EQ(range(kTop - 0x1800, kTop).align_outward(kPageSize).end(),
              PhysAddr{kTop & ~(kPageSize - 1)});
    EXPECT_TRUE(range(kTop - 0x10, kTop).align_inward(kPageSize).empty());
    EXPECT_TRUE(PhysRange{}.align_outward(kPageSize).empty());
}

TEST(AddressFormat, AddressesPrintInHexByDefault) {
    EXPECT_EQ(format("{}", PhysAddr{0x1000}), "0x1000");
    EXPECT_EQ(format("{}", VirtAddr{0xffff'8000'0000'0000ULL}), "0xffff800000000000");
    EXPECT_EQ(format("{}", PhysAddr{0}), "0x0");
    // Any integer spec works as on a u64.
    EXPECT_EQ(format("{:#018x}", PhysAddr{0x1000}), "0x0000000000001000");
    EXPECT_EQ(format("{:d}", PhysAddr{4096}), "4096");
    EXPECT_EQ(format("{:X}", PhysAddr{0xabc}), "ABC");
    EXPECT_EQ(format("{:>8}", PhysAddr{0x10}), "    0x10");
    EXPECT_EQ(format("[{:<8}]", PhysAddr{0x10}), "[0x10    ]");
}

TEST(AddressFormat, RangesPrintFirstAndLastByte) {
    EXPECT_EQ(format("{}", range(0x1000, 0x2000)), "0x1000-0x1fff");
    EXPECT_EQ(format("{:#018x}", range(0x1000, 0x2000)), "0x0000000000001000-0x0000000000001fff");
    EXPECT_EQ(format("{}", PhysRange::from_size(kTop - 0xf, 0x100)),
              "0xfffffffffffffff0-0xfffffffffffffffe");
    EXPECT_EQ(format("{}", range(0x5000, 0x5000)), "(empty at 0x5000)");
    EXPECT_EQ(format("{} and {}", VirtRange{VirtAddr{0}, VirtAddr{1}}, PhysAddr{2}),
              "0x0-0x0 and 0x2");
}

// A user type with a formatter that takes the default spec check.
struct Celsius {
    int degrees;
};

}  // namespace

template <>
struct kfmt::Formatter<Celsius> {
    static void format(Sink& out, const Celsius& c, const FormatSpec& spec) {
        char text[16];
        const usize n = kfmt::format_to_n(text, sizeof text, "{}C", c.degrees);
        write_text(out, {text, n}, spec);
    }
};

namespace {

TEST(FormatterHook, UserTypeWithDefaultCheck) {
    EXPECT_EQ(format("{}", Celsius{21}), "21C");
    EXPECT_EQ(format("[{:>6}]", Celsius{-4}), "[   -4C]");
    EXPECT_EQ(format("[{:*^7}]", Celsius{5}), "[**5C***]");
    // The hook goes through the same type-erased path as built-ins: the
    // compile-time check sees ArgKind::custom, and a spec with a type letter
    // is rejected by the default check.
    EXPECT_EQ(kfmt::detail::kind_of<Celsius>(), kfmt::ArgKind::custom);
    EXPECT_EQ(kfmt::detail::kind_of<const PhysRange&>(), kfmt::ArgKind::custom);
    const kfmt::ArgKind kinds[] = {kfmt::ArgKind::custom};
    const kfmt::SpecCheck checks[] = {kfmt::detail::spec_check_of<Celsius>()};
    EXPECT_EQ(kfmt::detail::check_format(ktl::string_view{"{:>4}"}, kinds, 1, checks), nullptr);
    EXPECT_NE(kfmt::detail::check_format(ktl::string_view{"{:x}"}, kinds, 1, checks), nullptr);
    const kfmt::SpecCheck address_checks[] = {kfmt::detail::spec_check_of<PhysAddr>()};
    EXPECT_EQ(kfmt::detail::check_format(ktl::string_view{"{:#x}"}, kinds, 1, address_checks),
              nullptr);
    EXPECT_NE(kfmt::detail::check_format(ktl::string_view{"{:+}"}, kinds, 1, address_checks),
              nullptr);
    EXPECT_NE(kfmt::detail::check_format(ktl::string_view{"{:c}"}, kinds, 1, address_checks),
              nullptr);
    // A class type without a formatter is not formattable at all.
    struct Plain {};
    EXPECT_EQ(kfmt::detail::kind_of<Plain>(), kfmt::ArgKind::none);
}

TEST(FormatterHook, WriteUnsignedMatchesTheBuiltInInteger) {
    for (const char* spec : {"{:#x}", "{:>10d}", "{:#018X}", "{:o}", "{:b}"}) {
        char ours[64];
        kfmt::Buffer<64> built_in;
        kfmt::FormatSpec parsed;
        const char* p = spec + 2;
        ASSERT_EQ(kfmt::parse_spec(p, spec + std::char_traits<char>::length(spec), parsed),
                  nullptr);
        struct Out {
            char* at;
            void put(char c) { *at++ = c; }
        } out{ours};
        kfmt::Sink sink(out);
        kfmt::write_unsigned(sink, 0x1234, parsed);
        *out.at = '\0';
        const kfmt::Arg arg = kfmt::make_arg(u64{0x1234});
        kfmt::Sink built_in_sink(built_in);
        kfmt::vformat_to(built_in_sink,
                         ktl::string_view{spec, std::char_traits<char>::length(spec)}, &arg, 1);
        EXPECT_EQ(std::string(ours), std::string(built_in.c_str())) << spec;
    }
}

}  // namespace
