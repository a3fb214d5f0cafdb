// The physical memory map from the type-6 tag, copied out of the MBI.
#pragma once

#include "boot/multiboot2/bytes.hpp"
#include "boot/multiboot2/error.hpp"
#include "boot/multiboot2/protocol.h"
#include "lib/ktl/span.hpp"
#include "lib/ktl/string_view.hpp"
#include "lib/ktl/types.hpp"

namespace boot::multiboot2 {

// Multiboot2 spec 3.6.8; any other value must be treated as reserved.
enum class MemoryType : u32 {
    Available = MB2_MEMORY_AVAILABLE,
    Reserved = 2,
    AcpiReclaimable = 3,
    AcpiNvs = 4,
    BadMemory = 5,
};

// "available", "reserved", "ACPI reclaimable", "ACPI NVS", "bad memory", or
// "unknown (reserved)" for values the spec does not define.
[[nodiscard]] ktl::string_view type_name(u32 type);

struct MemoryRegion {
    u64 base;
    u64 length;
    u32 type;  // A MemoryType value, or another number (treat as reserved).

    [[nodiscard]] constexpr bool available() const {
        return type == static_cast<u32>(MemoryType::Available);
    }
};

struct MemoryMap {
    static constexpr usize kCapacity = 256;

    MemoryRegion regions[kCapacity];
    u32 count;
    u32 dropped;  // Entries beyond kCapacity, not kept (and not counted).
    u32 entry_version;
    bool present;

    [[nodiscard]] ktl::span<const MemoryRegion> view() const { return {regions, count}; }
    // The sum of the kept available regions' lengths, saturating at
    // UINT64_MAX instead of wrapping (a corrupt map must not look small).
    [[nodiscard]] u64 usable_bytes() const;
};

// Decodes a whole type-6 tag (header included) into `map`, replacing what
// was there. Checks entry_size (>= 24, a multiple of 8; spec 3.6.8), that the
// entries exactly fill the tag, and that no region wraps past 2^64.
[[nodiscard]] Error decode_memory_map(Bytes tag, MemoryMap& map);

}  // namespace boot::multiboot2
