// What the format_*_test.cpp files format through: outputs with and without
// write(), and kf(), which runs every entry point and insists they agree.
#pragma once

#include <string>
#include <string_view>

#include <fmt/format.h>
#include <gtest/gtest.h>

#include "lib/format/format.hpp"

namespace kfmt_test {

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

inline ktl::string_view to_ktl(std::string_view s) { return {s.data(), s.size()}; }
inline std::string to_std(ktl::string_view s) { return {s.data(), s.size()}; }

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

inline std::string kf_runtime(std::string_view fmt, const kfmt::Arg* args, usize count) {
    PutOut out;
    kfmt::Sink sink(out);
    kfmt::vformat_to(sink, to_ktl(fmt), args, count);
    return out.text;
}

inline const char* kf_check(std::string_view fmt, const kfmt::ArgKind* kinds, usize count) {
    return kfmt::detail::check_format(to_ktl(fmt), kinds, count);
}

}  // namespace kfmt_test

// Both sides see the identical literal, so both compile-time checkers run
// (kfmt_test::kf must be in scope where it is used).
#define EXPECT_LIKE_FMT(...) EXPECT_EQ(kf(__VA_ARGS__), fmt::format(__VA_ARGS__))
