// kfmt on integers, bools and chars against {fmt} 9: every presentation
// type, sign, '#', '0' and alignment an integer takes.
#include "lib/format/format.hpp"

#include <fmt/format.h>
#include <gtest/gtest.h>

#include <limits>

#include "format_harness.hpp"

namespace {

using kfmt_test::kf;

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

}  // namespace
