// Parses built MBIs for the multiboot2_*_test.cpp files, so that every tag's
// test succeeds or fails through the same call and the same expectations.
#pragma once

#include <cstdint>
#include <memory>
#include <string_view>

#include <gtest/gtest.h>

#include "boot/multiboot2/boot_info.hpp"
#include "boot/multiboot2/error.hpp"
#include "boot/multiboot2/parse.hpp"
#include "mbi_builder.hpp"

namespace mbi_test {

namespace mb2 = boot::multiboot2;

inline constexpr uint64_t kPhys = 0x10000;

inline std::string_view sv(ktl::string_view s) { return {s.data(), s.size()}; }

struct Parsed {
    mb2::ParseResult result;
    std::unique_ptr<mb2::BootInfo> info = std::make_unique<mb2::BootInfo>();
};

inline Parsed run(ktl::span<const uint8_t> bytes, uint64_t phys = kPhys) {
    Parsed p;
    p.result = mb2::parse(bytes, phys, *p.info);
    return p;
}
inline Parsed run(const Mbi& mbi, uint64_t phys = kPhys) { return run(mbi.span(), phys); }

// Parses `builder` + END and expects success.
inline Parsed run_ok(MbiBuilder builder) {
    Mbi mbi = builder.end().build();
    Parsed p = run(mbi);
    EXPECT_TRUE(p.result.ok()) << sv(mb2::describe(p.result.error)) << " at offset "
                               << p.result.tag_offset << " type " << p.result.tag_type;
    return p;
}

// Parses `builder` + END and expects `error` on the tag at `offset`.
inline void expect_tag_error(MbiBuilder builder, mb2::Error error, uint32_t offset, uint32_t type) {
    Mbi mbi = builder.end().build();
    Parsed p = run(mbi);
    EXPECT_EQ(p.result.error, error) << sv(mb2::describe(p.result.error));
    EXPECT_EQ(p.result.tag_offset, offset);
    EXPECT_EQ(p.result.tag_type, type);
}

}  // namespace mbi_test
