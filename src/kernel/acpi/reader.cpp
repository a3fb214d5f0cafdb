#include "kernel/acpi/reader.hpp"

namespace kernel::acpi {

bool MemoryReader::add(PhysAddr base, ktl::span<const u8> bytes) {
    if (count_ == kCapacity) return false;
    if (!bytes.empty() && base.value() > ~0ULL - (bytes.size() - 1)) return false;
    regions_[count_++] = {base.value(), bytes};
    return true;
}

ktl::span<const u8> MemoryReader::read(PhysAddr base, usize size) {
    for (usize i = 0; i < count_; ++i) {
        const Region& r = regions_[i];
        if (base.value() < r.base) continue;
        const u64 offset = base.value() - r.base;
        if (offset > r.bytes.size() || size > r.bytes.size() - offset) continue;
        if (size == 0) break;
        return r.bytes.subspan(offset, size);
    }
    ++refused_;
    return {};
}

}  // namespace kernel::acpi
