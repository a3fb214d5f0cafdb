// The build's symbol map: the kernel's functions with the names the
// toolchain's own demangler gave them (`nm -C`), made after linking by
// tools/make_symbol_map.py and embedded in the image's .keel_symbols section
// (see src/CMakeLists.txt for how, and why the addresses cannot move).
//
// Format (all integers little-endian; tools/make_symbol_map.py writes it):
//   header   36 bytes: "KEELSYMS", u32 version (1), u32 count, u64 base,
//            u32 names_size, u32 max_size, u32 token_count (<= 128)
//   records  count * 12 bytes, sorted by start, then by size descending:
//            u32 start - base, u32 size (> 0, <= max_size), u32 name
//            (offset of the name's first byte in the names)
//   tokens   token_count * 2 bytes: token i stands for its two symbols
//   names    names_size bytes of NUL-terminated names; the last byte is 0
// and nothing after. A name's byte below 0x80 is itself; 0x80 + i is token
// i, and a token's symbols are bytes below 0x80 or tokens below it, so
// expanding one always ends. (The tokens are the most frequent pairs, found
// by the tool: they make the names about a third of their size, since C++
// names repeat their namespaces and types.) max_size bounds how far back a
// lookup searches for a function that contains an address.
//
// Hardware-independent (host-tested in tests/host/symbol_map_test.cpp).
// init() checks the whole structure once, so that lookups and expansions
// index only inside the map; a map that fails any check is refused whole.
#pragma once

#include "kernel/debug/symbols.hpp"
#include "lib/ktl/span.hpp"
#include "lib/ktl/string_view.hpp"
#include "lib/ktl/types.hpp"
#include "lib/result.hpp"

namespace kernel::debug {

namespace symbol_map_format {
inline constexpr char kMagic[8] = {'K', 'E', 'E', 'L', 'S', 'Y', 'M', 'S'};
inline constexpr u32 kVersion = 1;
inline constexpr usize kHeaderSize = 36;
inline constexpr usize kRecordSize = 12;
inline constexpr u32 kMaxTokens = 128;
inline constexpr u8 kFirstToken = 0x80;
}  // namespace symbol_map_format

// Why a map could not be used.
enum class SymbolMapError : u8 {
    Empty,         // no map at all (a build without one)
    TooShort,      // shorter than the header
    BadMagic,      // not a symbol map
    BadVersion,    // made by another version of the tool
    SizeMismatch,  // header counts disagree with the map's size
    BadTokens,     // too many tokens, or one that names itself or a later one
    BadNames,      // the names do not end in a NUL, or use a missing token
    BadRecord,     // zero or oversized size, end past 2^64, or name out of range
    Unsorted,      // records not in the order a binary search needs
    NoFunctions,   // a well-formed map that lists nothing
};
[[nodiscard]] ktl::string_view describe(SymbolMapError error);

class SymbolMap {
public:
    // Checks `bytes` and, when it is a valid map, keeps a view of it (the
    // bytes must outlive the map). A failed init leaves the map empty.
    [[nodiscard]] Result<void, SymbolMapError> init(ktl::span<const u8> bytes);
    void clear() { *this = SymbolMap(); }

    [[nodiscard]] bool loaded() const { return count_ != 0; }
    [[nodiscard]] u32 function_count() const { return count_; }
    [[nodiscard]] usize size_bytes() const { return size_; }

    // The innermost function containing `address`: the greatest start <=
    // address whose [start, start + size) contains it; of equal starts the
    // smallest. Its name is expanded into `name_space`, and out.name views
    // it; a name that does not fit is cut and ends in "...". False when no
    // function contains the address (or no map).
    bool lookup(u64 address, SymbolInfo& out, ktl::span<char> name_space) const;
    // The start of the first function called `name`, in address order.
    bool find(ktl::string_view name, u64& address) const;

private:
    struct Record {
        u64 start;
        u32 size;
        u32 name;
    };
    [[nodiscard]] Record record(u32 index) const;
    [[nodiscard]] Result<void, SymbolMapError> check_records() const;
    // Calls emit(char) for each character of the name at `offset`, until
    // the name ends or emit returns false.
    template <typename Emit>
    void expand(u32 offset, Emit emit) const;

    const u8* records_ = nullptr;
    const u8* tokens_ = nullptr;
    const u8* names_ = nullptr;
    usize size_ = 0;
    u64 base_ = 0;
    u32 count_ = 0;
    u32 names_size_ = 0;
    u32 max_size_ = 0;
};

}  // namespace kernel::debug
