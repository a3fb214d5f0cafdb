#include "boot/params.hpp"

namespace boot {

ktl::string_view kind_name(MemoryKind kind) {
    switch (kind) {
        case MemoryKind::Usable:
            return "available";
        case MemoryKind::Reserved:
            return "reserved";
        case MemoryKind::AcpiReclaimable:
            return "ACPI reclaimable";
        case MemoryKind::AcpiNvs:
            return "ACPI NVS";
        case MemoryKind::Bad:
            return "bad memory";
    }
    return "reserved";
}

u64 BootParams::usable_bytes() const {
    u64 sum = 0;
    for (const MemoryRegion& r : memory_map())
        if (r.usable() && __builtin_add_overflow(sum, r.length, &sum)) return ~0ULL;
    return sum;
}

}  // namespace boot
