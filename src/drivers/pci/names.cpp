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

// A pool string, or empty if the offset is outside the pool (a table
// generated wrongly must not make the kernel read past it).
ktl::string_view pool_string(const names::NameTable& table, u32 offset) {
    if (offset >= table.pool_size) return {};
    usize length = 0;
    while (offset + length < table.pool_size && table.pool[offset + length] != '\0') ++length;
    return {table.pool + offset, length};
}

template <typename Entry, typename KeyOf>
ktl::string_view find(const names::NameTable& table, ktl::span<const Entry> entries, u32 key,
                      KeyOf key_of) {
    const usize i = lower_bound(entries, key, key_of);
    if (i == entries.size() || key_of(entries[i]) != key) return {};
    return pool_string(table, entries[i].name);
}

}  // namespace

ktl::string_view vendor_name(u16 vendor, const names::NameTable& table) {
    return find(table, table.vendors, vendor,
                [](const names::VendorName& e) { return u32{e.vendor}; });
}

ktl::string_view device_name(u16 vendor, u16 device, const names::NameTable& table) {
    return find(table, table.devices, (u32{vendor} << 16) | device,
                [](const names::DeviceName& e) { return (u32{e.vendor} << 16) | e.device; });
}

ktl::string_view class_name(u8 class_code, u8 subclass, const names::NameTable& table) {
    const ktl::string_view sub =
        find(table, table.subclasses, (u32{class_code} << 8) | subclass,
             [](const names::SubclassName& e) { return u32{e.class_word}; });
    if (!sub.empty()) return sub;
    return find(table, table.classes, class_code,
                [](const names::ClassName& e) { return u32{e.class_code}; });
}

}  // namespace drivers::pci
