// Where kfmt writes: outputs with write(), a Sink, format_to_n's bounded
// buffer (what is kept, and nothing past it) and kfmt::Buffer's truncation.
#include "lib/format/format.hpp"

#include <fmt/format.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <cstring>
#include <string>
#include <vector>

#include "format_harness.hpp"

namespace {

using kfmt_test::PutOut;
using kfmt_test::to_std;
using kfmt_test::WriteOut;

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

}  // namespace
