#include "boot/multiboot2/memory_map.hpp"

#include "boot/multiboot2/layout.hpp"
#include "lib/ktl/bit.hpp"

namespace boot::multiboot2 {

ktl::string_view type_name(u32 type) {
    switch (static_cast<MemoryType>(type)) {
        case MemoryType::Available:
            return "available";
        case MemoryType::Reserved:
            return "reserved";
        case MemoryType::AcpiReclaimable:
            return "ACPI reclaimable";
        case MemoryType::AcpiNvs:
            return "ACPI NVS";
        case MemoryType::BadMemory:
            return "bad memory";
    }
    return "unknown (reserved)";
}

u64 MemoryMap::usable_bytes() const {
    u64 total = 0;
    for (const MemoryRegion& region : view()) {
        if (!region.available()) continue;
        if (!ktl::checked_add(total, region.length, &total)) return ~u64{0};
    }
    return total;
}

Error decode_memory_map(Bytes tag, MemoryMap& map) {
    map.count = 0;
    map.dropped = 0;
    map.present = false;

    TagMmap fixed{};
    if (!load(tag, 0, fixed)) return Error::TagTooShort;
    // GRUB writes sizeof(multiboot_mmap_entry) == 24; a larger stride is
    // allowed for future fields, but entries must stay 8-byte aligned.
    if (fixed.entry_size < sizeof(MmapEntry) || !ktl::is_aligned<u32>(fixed.entry_size, 8))
        return Error::MmapEntrySizeInvalid;
    const usize entries_bytes = tag.size() - sizeof(TagMmap);
    if (entries_bytes % fixed.entry_size != 0) return Error::MmapPartialEntry;

    map.entry_version = fixed.entry_version;
    const usize entries = entries_bytes / fixed.entry_size;
    for (usize i = 0; i < entries; ++i) {
        MmapEntry entry{};
        if (!load(tag, sizeof(TagMmap) + i * fixed.entry_size, entry)) return Error::TagTooShort;
        // [base, base + length) may end exactly at 2^64, but not beyond it.
        if (entry.length != 0 && entry.base_addr > ~u64{0} - (entry.length - 1))
            return Error::MmapRegionWraps;
        if (map.count == MemoryMap::kCapacity) {
            ++map.dropped;
            continue;
        }
        map.regions[map.count++] = {entry.base_addr, entry.length, entry.type};
    }
    map.present = true;
    return Error::None;
}

}  // namespace boot::multiboot2
