#include "kernel/debug/symbol_map.hpp"

namespace kernel::debug {

namespace fmt = symbol_map_format;

namespace {

template <typename T>
T load(const u8* bytes) {
    T value;
    __builtin_memcpy(&value, bytes, sizeof(T));  // the map carries no alignment promise
    return value;
}

[[nodiscard]] constexpr bool is_token(u8 symbol) { return symbol >= fmt::kFirstToken; }
[[nodiscard]] constexpr u32 token_index(u8 symbol) { return u32{symbol} - fmt::kFirstToken; }

// Each token's symbols are characters or earlier tokens: no cycles.
bool tokens_valid(const u8* tokens, u32 token_count) {
    for (u32 i = 0; i < token_count * 2; ++i) {
        const u8 symbol = tokens[i];
        if (symbol == 0 || (is_token(symbol) && token_index(symbol) >= i / 2)) return false;
    }
    return true;
}

// A final NUL means every name that starts inside the area ends inside it.
bool names_valid(const u8* names, u32 names_size, u32 token_count) {
    if (names_size == 0 || names[names_size - 1] != '\0') return false;
    // With every token defined, each byte is a character or a token: no
    // need to look at them (the build's maps use all 128, and the boot
    // spent more instructions here than anywhere but the console).
    if (token_count == 0x100 - fmt::kFirstToken) return true;
    for (u32 i = 0; i < names_size; ++i)
        if (is_token(names[i]) && token_index(names[i]) >= token_count) return false;
    return true;
}

}  // namespace

ktl::string_view describe(SymbolMapError error) {
    switch (error) {
        case SymbolMapError::Empty:
            return "the image carries no symbol map";
        case SymbolMapError::TooShort:
            return "the symbol map is shorter than its header";
        case SymbolMapError::BadMagic:
            return "the symbol map has the wrong magic number";
        case SymbolMapError::BadVersion:
            return "the symbol map has an unknown version";
        case SymbolMapError::SizeMismatch:
            return "the symbol map's size does not match its header";
        case SymbolMapError::BadTokens:
            return "the symbol map's token table is malformed";
        case SymbolMapError::BadNames:
            return "the symbol map's names are malformed";
        case SymbolMapError::BadRecord:
            return "a symbol map record is malformed";
        case SymbolMapError::Unsorted:
            return "the symbol map is not sorted by address";
        case SymbolMapError::NoFunctions:
            return "the symbol map lists no functions";
    }
    return "unknown error";
}

Result<void, SymbolMapError> SymbolMap::init(ktl::span<const u8> bytes) {
    clear();
    if (bytes.empty()) return SymbolMapError::Empty;
    if (bytes.size() < fmt::kHeaderSize) return SymbolMapError::TooShort;
    const u8* base = bytes.data();
    if (__builtin_memcmp(base, fmt::kMagic, sizeof fmt::kMagic) != 0)
        return SymbolMapError::BadMagic;
    if (load<u32>(base + 8) != fmt::kVersion) return SymbolMapError::BadVersion;
    const u32 count = load<u32>(base + 12);
    const u64 address_base = load<u64>(base + 16);
    const u32 names_size = load<u32>(base + 24);
    const u32 max_size = load<u32>(base + 28);
    const u32 token_count = load<u32>(base + 32);
    if (token_count > fmt::kMaxTokens) return SymbolMapError::BadTokens;
    // 64-bit arithmetic: u32 counts times small sizes cannot overflow it.
    const u64 records_size = u64{count} * fmt::kRecordSize;
    const u64 expected = fmt::kHeaderSize + records_size + u64{token_count} * 2 + names_size;
    if (expected != bytes.size()) return SymbolMapError::SizeMismatch;
    if (count == 0) return SymbolMapError::NoFunctions;
    const u8* records = base + fmt::kHeaderSize;
    const u8* tokens = records + records_size;
    const u8* names = tokens + u64{token_count} * 2;

    if (!tokens_valid(tokens, token_count)) return SymbolMapError::BadTokens;
    if (!names_valid(names, names_size, token_count)) return SymbolMapError::BadNames;

    records_ = records;
    tokens_ = tokens;
    names_ = names;
    base_ = address_base;
    names_size_ = names_size;
    max_size_ = max_size;
    count_ = count;
    const Result<void, SymbolMapError> checked = check_records();
    if (!checked) {
        clear();
        return checked.error();
    }
    size_ = bytes.size();
    return {};
}

Result<void, SymbolMapError> SymbolMap::check_records() const {
    for (u32 i = 0; i < count_; ++i) {
        const Record r = record(i);
        if (r.size == 0 || r.size > max_size_ || r.name >= names_size_ || r.start < base_ ||
            r.start + r.size < r.start)
            return SymbolMapError::BadRecord;
        if (i == 0) continue;
        const Record previous = record(i - 1);
        if (r.start < previous.start || (r.start == previous.start && r.size > previous.size))
            return SymbolMapError::Unsorted;
    }
    return {};
}

SymbolMap::Record SymbolMap::record(u32 index) const {
    const u8* at = records_ + u64{index} * fmt::kRecordSize;
    return {base_ + load<u32>(at), load<u32>(at + 4), load<u32>(at + 8)};
}

template <typename Emit>
void SymbolMap::expand(u32 offset, Emit emit) const {
    // Symbols still to expand, the next on top. A token pushes its two
    // symbols in place of itself and they are earlier tokens or characters,
    // so the stack holds at most one symbol per token level plus one.
    u8 stack[fmt::kMaxTokens + 2];
    for (u32 at = offset; at < names_size_ && names_[at] != 0; ++at) {
        usize depth = 0;
        stack[depth++] = names_[at];
        while (depth != 0) {
            const u8 symbol = stack[--depth];
            if (!is_token(symbol)) {
                if (!emit(static_cast<char>(symbol))) return;
                continue;
            }
            const u8* pair = tokens_ + usize{token_index(symbol)} * 2;
            stack[depth++] = pair[1];
            stack[depth++] = pair[0];
        }
    }
}

bool SymbolMap::lookup(u64 address, SymbolInfo& out, ktl::span<char> name_space) const {
    if (!loaded()) return false;
    // The first record that starts after the address...
    u32 low = 0;
    u32 high = count_;
    while (low < high) {
        const u32 middle = low + (high - low) / 2;
        if (record(middle).start <= address)
            low = middle + 1;
        else
            high = middle;
    }
    // ...then back through the records at or below it, innermost first,
    // until none so far back could reach the address.
    for (u32 i = low; i-- > 0;) {
        const Record r = record(i);
        if (address - r.start >= max_size_) break;
        if (address - r.start >= r.size) continue;
        constexpr usize kEllipsis = 3;
        const usize room = name_space.size();
        usize length = 0;
        bool cut = false;
        expand(r.name, [&](char c) {
            if (length == room) {
                cut = true;
                return false;
            }
            name_space[length++] = c;
            return true;
        });
        if (cut && room > kEllipsis)
            for (usize k = room - kEllipsis; k < room; ++k) name_space[k] = '.';
        out.name = ktl::string_view(name_space.data(), length);
        if (out.name.empty()) out.name = "?";
        out.start = r.start;
        out.size = r.size;
        out.offset = address - r.start;
        return true;
    }
    return false;
}

bool SymbolMap::find(ktl::string_view name, u64& address) const {
    for (u32 i = 0; i < count_; ++i) {
        const Record r = record(i);
        usize matched = 0;
        bool equal = true;
        expand(r.name, [&](char c) {
            equal = matched < name.size() && name[matched] == c;
            ++matched;
            return equal;
        });
        if (equal && matched == name.size()) {
            address = r.start;
            return true;
        }
    }
    return false;
}

}  // namespace kernel::debug
