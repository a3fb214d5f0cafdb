#include "drivers/pci/names.hpp"

namespace drivers::pci {

namespace {

// The first entry whose key is not below `key`, or size() if none.
template <typename Entry, typename KeyOf>
usize lower_bound(ktl::span<const Entry> entries, u32 key, KeyOf key_of) {
    usize low = 0;
    usize high = entries.size();
    while (low < high) {
        const usize mid = low + (high - low) / 2;
        if (key_of(entries[mid]) < key)
            low = mid + 1;
        else
            high = mid;
    }
    return low;
}

// Appends the NUL-terminated text at `from` (up to `end`) to `out`, cut at
// its capacity.
void append(Name& out, const char* from, const char* end) {
    for (; from < end && *from != '\0' && out.length < names::kMaxNameLength; ++from)
        out.text[out.length++] = *from;
}

// The name at `offset` in the pool, its tokens expanded; empty if the
// offset is outside the pool or a byte names no token (a table generated
// wrongly must not make the kernel read past it).
Name expand(const names::NameTable& table, u32 offset) {
    Name out;
    if (offset >= table.pool_size) return out;
    const char* const pool_end = table.pool + table.pool_size;
    const char* const tokens_end = table.tokens + table.tokens_size;
    for (const char* at = table.pool + offset; at < pool_end && *at != '\0'; ++at) {
        const u8 byte = static_cast<u8>(*at);
        if (byte < names::kFirstToken) {
            append(out, at, at + 1);
            continue;
        }
        const usize token = byte - names::kFirstToken;
        if (token >= table.token_offsets.size() || table.token_offsets[token] >= table.tokens_size)
            return {};
        append(out, table.tokens + table.token_offsets[token], tokens_end);
    }
    return out;
}

template <typename Entry, typename KeyOf>
Name find(const names::NameTable& table, ktl::span<const Entry> entries, u32 key, KeyOf key_of) {
    const usize i = lower_bound(entries, key, key_of);
    if (i == entries.size() || key_of(entries[i]) != key) return {};
    return expand(table, entries[i].name);
}

}  // namespace

Name vendor_name(u16 vendor, const names::NameTable& table) {
    return find(table, table.vendors, vendor,
                [](const names::VendorName& e) { return u32{e.vendor}; });
}

Name device_name(u16 vendor, u16 device, const names::NameTable& table) {
    return find(table, table.devices, (u32{vendor} << 16) | device,
                [](const names::DeviceName& e) { return (u32{e.vendor} << 16) | e.device; });
}

Name class_name(u8 class_code, u8 subclass, const names::NameTable& table) {
    Name sub = find(table, table.subclasses, (u32{class_code} << 8) | subclass,
                    [](const names::SubclassName& e) { return u32{e.class_word}; });
    if (!sub.empty()) return sub;
    return find(table, table.classes, class_code,
                [](const names::ClassName& e) { return u32{e.class_code}; });
}

}  // namespace drivers::pci
