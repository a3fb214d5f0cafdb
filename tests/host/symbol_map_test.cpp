// kernel::debug::SymbolMap on maps built here in the format of
// tools/make_symbol_map.py: the lookup rule, token expansion, names cut with
// "...", and the refusal of every malformed or truncated map (ASan checks
// that nothing reads outside the bytes it was given).
#include <gtest/gtest.h>

#include <algorithm>
#include <cstring>
#include <string>
#include <utility>
#include <vector>

#include "kernel/debug/symbol_map.hpp"

namespace {

using kernel::debug::SymbolInfo;
using kernel::debug::SymbolMap;
using kernel::debug::SymbolMapError;
namespace fmt = kernel::debug::symbol_map_format;

constexpr u64 kBase = 0xFFFF'FFFF'8010'0000ULL;

struct Function {
    u64 start;
    u32 size;
    std::string name;  // already encoded: bytes >= 0x80 are tokens
};

// A map as the tool writes it; fields can be overridden to corrupt it.
struct MapBuilder {
    std::vector<Function> functions;
    std::vector<std::pair<u8, u8>> tokens;
    u64 base = kBase;
    u32 version = fmt::kVersion;
    std::string magic = "KEELSYMS";
    int max_size = -1;      // -1: the largest size
    long long count = -1;   // -1: functions.size()
    int names_delta = 0;    // added to names_size in the header
    int token_count = -1;   // -1: tokens.size()
    bool final_nul = true;  // false: drop the last name's terminator

    std::vector<u8> build() const {
        std::string names;
        std::vector<u32> offsets;
        for (const Function& f : functions) {
            offsets.push_back(static_cast<u32>(names.size()));
            names += f.name;
            names += '\0';
        }
        if (!final_nul && !names.empty()) names.pop_back();
        u32 largest = 0;
        for (const Function& f : functions) largest = std::max(largest, f.size);
        std::vector<u8> out;
        auto put = [&](const void* data, size_t size) {
            const u8* bytes = static_cast<const u8*>(data);
            out.insert(out.end(), bytes, bytes + size);
        };
        auto put32 = [&](u32 value) { put(&value, 4); };
        put(magic.data(), 8);
        put32(version);
        put32(count < 0 ? static_cast<u32>(functions.size()) : static_cast<u32>(count));
        put(&base, 8);
        put32(static_cast<u32>(static_cast<int>(names.size()) + names_delta));
        put32(max_size < 0 ? largest : static_cast<u32>(max_size));
        put32(token_count < 0 ? static_cast<u32>(tokens.size()) : static_cast<u32>(token_count));
        for (size_t i = 0; i < functions.size(); ++i) {
            put32(static_cast<u32>(functions[i].start - base));
            put32(functions[i].size);
            put32(offsets[i]);
        }
        for (auto [first, second] : tokens) {
            out.push_back(first);
            out.push_back(second);
        }
        put(names.data(), names.size());
        return out;
    }
};

// Shaped like the kernel's: an inner function (an asm label with a size),
// aliases' one surviving name, a gap, and names with tokens.
MapBuilder sample() {
    MapBuilder map;
    // token 0 = "ke", token 1 = token 0 + "r" ("ker"), token 2 = "::"
    map.tokens = {{'k', 'e'}, {0x80, 'r'}, {':', ':'}};
    map.functions = {
        {kBase + 0x000, 0x100, "alpha()"},
        {kBase + 0x010, 0x10, "alpha_inner"},
        {kBase + 0x100, 0x80,
         "\x81nel\x82"
         "beta(int)"},                        // kernel::beta(int)
        {kBase + 0x100, 0x10, "beta_entry"},  // same start, smaller
        {kBase + 0x1000, 0x10, "gamma"},
    };
    return map;
}

struct Loaded {
    std::vector<u8> bytes;
    SymbolMap map;
    Result<void, SymbolMapError> result;
    explicit Loaded(std::vector<u8> b) : bytes(std::move(b)) {
        result = map.init({bytes.data(), bytes.size()});
    }
};

std::string describe(const SymbolMap& map, u64 address, size_t room = 64) {
    std::vector<char> name(room);
    SymbolInfo info;
    if (!map.lookup(address, info, {name.data(), name.size()})) return "none";
    return std::string(info.name.data(), info.name.size()) + "+" + std::to_string(info.offset);
}

TEST(SymbolMap, LoadsAWellFormedMap) {
    Loaded l(sample().build());
    ASSERT_TRUE(l.result);
    EXPECT_TRUE(l.map.loaded());
    EXPECT_EQ(l.map.function_count(), 5u);
    EXPECT_EQ(l.map.size_bytes(), l.bytes.size());
}

TEST(SymbolMap, FindsTheInnermostFunctionContainingAnAddress) {
    Loaded l(sample().build());
    ASSERT_TRUE(l.result);
    EXPECT_EQ(describe(l.map, kBase), "alpha()+0");
    EXPECT_EQ(describe(l.map, kBase + 0xF), "alpha()+15");
    EXPECT_EQ(describe(l.map, kBase + 0x10), "alpha_inner+0");
    EXPECT_EQ(describe(l.map, kBase + 0x1F), "alpha_inner+15");
    EXPECT_EQ(describe(l.map, kBase + 0x20), "alpha()+32");  // past the inner one
    EXPECT_EQ(describe(l.map, kBase + 0xFF), "alpha()+255");
    EXPECT_EQ(describe(l.map, kBase + 0x100), "beta_entry+0");  // of equal starts the smaller
    EXPECT_EQ(describe(l.map, kBase + 0x110), "kernel::beta(int)+16");
    EXPECT_EQ(describe(l.map, kBase + 0x17F), "kernel::beta(int)+127");
    EXPECT_EQ(describe(l.map, kBase + 0x100F), "gamma+15");
}

TEST(SymbolMap, AnAddressOutsideEveryFunctionHasNoSymbol) {
    Loaded l(sample().build());
    ASSERT_TRUE(l.result);
    EXPECT_EQ(describe(l.map, 0), "none");
    EXPECT_EQ(describe(l.map, kBase - 1), "none");
    EXPECT_EQ(describe(l.map, kBase + 0x180), "none");  // the gap
    EXPECT_EQ(describe(l.map, kBase + 0xFFF), "none");
    EXPECT_EQ(describe(l.map, kBase + 0x1010), "none");  // one past gamma
    EXPECT_EQ(describe(l.map, ~u64{0}), "none");
}

TEST(SymbolMap, ALongNameIsCutWithAnEllipsis) {
    Loaded l(sample().build());
    ASSERT_TRUE(l.result);
    EXPECT_EQ(describe(l.map, kBase + 0x110, 17), "kernel::beta(int)+16");  // exactly fits
    EXPECT_EQ(describe(l.map, kBase + 0x110, 16), "kernel::beta(...+16");
    EXPECT_EQ(describe(l.map, kBase + 0x110, 4), "k...+16");
    EXPECT_EQ(describe(l.map, kBase + 0x110, 2), "ke+16");  // no room for "..."
    EXPECT_EQ(describe(l.map, kBase + 0x110, 0), "?+16");
}

TEST(SymbolMap, FindsAFunctionByItsExpandedName) {
    Loaded l(sample().build());
    ASSERT_TRUE(l.result);
    u64 address = 0;
    EXPECT_TRUE(l.map.find("kernel::beta(int)", address));
    EXPECT_EQ(address, kBase + 0x100);
    EXPECT_TRUE(l.map.find("gamma", address));
    EXPECT_EQ(address, kBase + 0x1000);
    EXPECT_FALSE(l.map.find("kernel::beta(int", address));    // a prefix
    EXPECT_FALSE(l.map.find("kernel::beta(int)x", address));  // longer
    EXPECT_FALSE(l.map.find("", address));
    EXPECT_FALSE(l.map.find("missing", address));
}

TEST(SymbolMap, ADeeplyNestedTokenExpands) {
    MapBuilder map;
    map.tokens.push_back({'a', 'b'});
    for (u8 i = 1; i < fmt::kMaxTokens; ++i)
        map.tokens.push_back({static_cast<u8>(0x80 + i - 1), 'c'});
    map.functions = {{kBase, 0x10, std::string(1, static_cast<char>(0xFF))}};
    Loaded l(map.build());
    ASSERT_TRUE(l.result);
    EXPECT_EQ(describe(l.map, kBase, 200), "ab" + std::string(127, 'c') + "+0");
}

TEST(SymbolMap, AnExponentialTokenIsCutNotExpandedWhole) {
    MapBuilder map;  // token i is token i-1 twice: 2^128 characters
    map.tokens.push_back({'x', 'x'});
    for (u8 i = 1; i < fmt::kMaxTokens; ++i)
        map.tokens.push_back({static_cast<u8>(0x80 + i - 1), static_cast<u8>(0x80 + i - 1)});
    map.functions = {{kBase, 0x10, std::string(1, static_cast<char>(0xFF))}};
    Loaded l(map.build());
    ASSERT_TRUE(l.result);
    EXPECT_EQ(describe(l.map, kBase, 8), "xxxxx...+0");
    u64 address;
    EXPECT_FALSE(l.map.find("xxx", address));
}

TEST(SymbolMapInit, NoMap) {
    SymbolMap map;
    EXPECT_EQ(map.init({}).error(), SymbolMapError::Empty);
    EXPECT_FALSE(map.loaded());
    EXPECT_EQ(describe(map, kBase), "none");
}

TEST(SymbolMapInit, EveryTruncationIsRefused) {
    const std::vector<u8> whole = sample().build();
    for (size_t size = 1; size < whole.size(); ++size) {
        // An exact-size heap copy: ASan reports a read one byte too far.
        std::vector<u8> cut(whole.begin(), whole.begin() + static_cast<long>(size));
        SymbolMap map;
        const Result<void, SymbolMapError> result = map.init({cut.data(), cut.size()});
        EXPECT_EQ(result.error(),
                  size < fmt::kHeaderSize ? SymbolMapError::TooShort : SymbolMapError::SizeMismatch)
            << size;
        EXPECT_FALSE(map.loaded());
    }
}

TEST(SymbolMapInit, TrailingBytesAreRefused) {
    std::vector<u8> bytes = sample().build();
    bytes.push_back(0);
    EXPECT_EQ(Loaded(bytes).result.error(), SymbolMapError::SizeMismatch);
}

TEST(SymbolMapInit, MalformedHeaders) {
    MapBuilder map = sample();
    map.magic = "KEELSYMX";
    EXPECT_EQ(Loaded(map.build()).result.error(), SymbolMapError::BadMagic);
    map = sample();
    map.version = 2;
    EXPECT_EQ(Loaded(map.build()).result.error(), SymbolMapError::BadVersion);
    map = sample();
    map.count = 6;
    EXPECT_EQ(Loaded(map.build()).result.error(), SymbolMapError::SizeMismatch);
    map = sample();
    map.count = 0xFFFF'FFFE;  // the size check must not overflow
    EXPECT_EQ(Loaded(map.build()).result.error(), SymbolMapError::SizeMismatch);
    map = sample();
    map.names_delta = 1;
    EXPECT_EQ(Loaded(map.build()).result.error(), SymbolMapError::SizeMismatch);
    map = sample();
    map.functions.clear();
    EXPECT_EQ(Loaded(map.build()).result.error(), SymbolMapError::NoFunctions);
}

TEST(SymbolMapInit, MalformedTokens) {
    MapBuilder map = sample();
    map.tokens[1] = {0x81, 'r'};  // names itself: would never end
    EXPECT_EQ(Loaded(map.build()).result.error(), SymbolMapError::BadTokens);
    map = sample();
    map.tokens[0] = {0x82, 'e'};  // names a later token
    EXPECT_EQ(Loaded(map.build()).result.error(), SymbolMapError::BadTokens);
    map = sample();
    map.tokens[2] = {':', 0};  // a NUL would end the name inside a token
    EXPECT_EQ(Loaded(map.build()).result.error(), SymbolMapError::BadTokens);
    map = sample();
    map.tokens.resize(fmt::kMaxTokens + 1, {'a', 'b'});
    EXPECT_EQ(Loaded(map.build()).result.error(), SymbolMapError::BadTokens);
}

TEST(SymbolMapInit, MalformedNames) {
    MapBuilder map = sample();
    map.final_nul = false;
    EXPECT_EQ(Loaded(map.build()).result.error(), SymbolMapError::BadNames);
    map = sample();
    map.functions[4].name = "gam\x83";  // token 3 does not exist
    EXPECT_EQ(Loaded(map.build()).result.error(), SymbolMapError::BadNames);
}

TEST(SymbolMapInit, MalformedRecords) {
    MapBuilder map = sample();
    map.functions[1].size = 0;
    EXPECT_EQ(Loaded(map.build()).result.error(), SymbolMapError::BadRecord);
    map = sample();
    map.max_size = 0x80;  // alpha() is larger
    EXPECT_EQ(Loaded(map.build()).result.error(), SymbolMapError::BadRecord);
    map = sample();
    map.base = ~u64{0} - 0x40;  // alpha() would end past 2^64
    for (Function& f : map.functions) f.start = f.start - kBase + map.base;
    EXPECT_EQ(Loaded(map.build()).result.error(), SymbolMapError::BadRecord);

    std::vector<u8> bytes = sample().build();  // a name offset past the names
    const u32 past = 1000;
    std::memcpy(&bytes[fmt::kHeaderSize + 2 * fmt::kRecordSize + 8], &past, 4);
    EXPECT_EQ(Loaded(bytes).result.error(), SymbolMapError::BadRecord);
}

TEST(SymbolMapInit, UnsortedRecords) {
    MapBuilder map = sample();
    std::swap(map.functions[0], map.functions[4]);
    EXPECT_EQ(Loaded(map.build()).result.error(), SymbolMapError::Unsorted);
    map = sample();
    std::swap(map.functions[2], map.functions[3]);  // equal starts, smaller first
    EXPECT_EQ(Loaded(map.build()).result.error(), SymbolMapError::Unsorted);
}

TEST(SymbolMapInit, AFailedInitForgetsTheOldMap) {
    Loaded l(sample().build());
    ASSERT_TRUE(l.result);
    std::vector<u8> bad = sample().build();
    bad[0] = 'X';
    EXPECT_EQ(l.map.init({bad.data(), bad.size()}).error(), SymbolMapError::BadMagic);
    EXPECT_EQ(describe(l.map, kBase), "none");
}

// Any single corrupted byte is refused or, if the map still checks out,
// looked up without reading outside it.
TEST(SymbolMapInit, CorruptedBytesNeverReadOutOfBounds) {
    const std::vector<u8> whole = sample().build();
    for (size_t at = 0; at < whole.size(); ++at) {
        for (u8 value : {u8{0x00}, u8{0x7F}, u8{0x80}, u8{0x82}, u8{0x83}, u8{0xFF}}) {
            std::vector<u8> bytes = whole;
            bytes[at] = value;
            SymbolMap map;
            if (!map.init({bytes.data(), bytes.size()})) continue;
            for (u64 offset = 0; offset < 0x1100; offset += 7) (void)describe(map, kBase + offset);
            u64 address;
            (void)map.find("kernel::beta(int)", address);
        }
    }
}

TEST(SymbolMapInit, EveryErrorIsDescribed) {
    for (int e = 0; e <= static_cast<int>(SymbolMapError::NoFunctions); ++e)
        EXPECT_FALSE(kernel::debug::describe(static_cast<SymbolMapError>(e)).empty());
}

}  // namespace
