// kfmt on strings and pointers against {fmt} 9: precision bounds what is read
// (ASan watches), a null C string prints "(null)", pointers print in hex.
#include "lib/format/format.hpp"

#include <fmt/format.h>
#include <gtest/gtest.h>

#include <cstdint>
#include <string_view>

#include "format_harness.hpp"

namespace {

using kfmt_test::kf;
using kfmt_test::to_ktl;

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

}  // namespace
