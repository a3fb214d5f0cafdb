// How the ACPI code reaches physical memory: through a reader that maps a
// physical range to bytes or says it cannot. The kernel backs it with
// read-only mappings of the firmware's tables; the host tests and fuzzers
// with MemoryReader, buffers placed at chosen physical addresses.
#pragma once

#include "lib/address.hpp"
#include "lib/ktl/span.hpp"
#include "lib/ktl/types.hpp"

namespace kernel::acpi {

class PhysicalReader {
public:
    // The `size` bytes at `base`, or an empty span when any of them cannot
    // be read (not RAM or firmware memory, not mappable, or the range wraps).
    // The bytes stay valid as long as the reader. size is never 0.
    virtual ktl::span<const u8> read(PhysAddr base, usize size) = 0;

protected:
    ~PhysicalReader() = default;
};

// Up to kCapacity buffers, each standing at a physical address. A read must
// lie inside one buffer: bytes beyond a buffer's end are unreadable, just as
// an unmapped page would be.
class MemoryReader final : public PhysicalReader {
public:
    static constexpr usize kCapacity = 64;

    // False when full or when the buffer would wrap past the top of memory.
    [[nodiscard]] bool add(PhysAddr base, ktl::span<const u8> bytes);
    ktl::span<const u8> read(PhysAddr base, usize size) override;
    // How many reads were refused: tests check that hostile tables were
    // bounded by the reader, not by luck.
    [[nodiscard]] usize refused() const { return refused_; }

private:
    struct Region {
        u64 base;
        ktl::span<const u8> bytes;
    };
    Region regions_[kCapacity] = {};
    usize count_ = 0;
    usize refused_ = 0;
};

}  // namespace kernel::acpi
