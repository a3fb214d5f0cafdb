// Little-endian fields of a firmware table, read with bounds checks. ACPI
// fields are unaligned (XSDT entries, MADT entries at odd offsets), so they
// are assembled byte by byte rather than through casts.
#pragma once

#include "lib/ktl/span.hpp"
#include "lib/ktl/types.hpp"

namespace kernel::acpi {

class Bytes {
public:
    constexpr Bytes() = default;
    constexpr explicit Bytes(ktl::span<const u8> data) : data_(data) {}

    [[nodiscard]] constexpr usize size() const { return data_.size(); }
    [[nodiscard]] constexpr ktl::span<const u8> span() const { return data_; }
    // Whether [offset, offset + count) lies inside, without overflowing.
    [[nodiscard]] constexpr bool covers(usize offset, usize count) const {
        return offset <= data_.size() && count <= data_.size() - offset;
    }
    // A field outside the bytes reads as 0: callers check covers() where
    // absence matters, and an out-of-bounds read can never happen.
    [[nodiscard]] constexpr u64 le(usize offset, usize count) const {
        if (!covers(offset, count)) return 0;
        u64 value = 0;
        for (usize i = count; i-- > 0;) value = (value << 8) | data_[offset + i];
        return value;
    }
    [[nodiscard]] constexpr u8 u8_at(usize offset) const { return static_cast<u8>(le(offset, 1)); }
    [[nodiscard]] constexpr u16 u16_at(usize offset) const {
        return static_cast<u16>(le(offset, 2));
    }
    [[nodiscard]] constexpr u32 u32_at(usize offset) const {
        return static_cast<u32>(le(offset, 4));
    }
    [[nodiscard]] constexpr u64 u64_at(usize offset) const { return le(offset, 8); }
    [[nodiscard]] constexpr Bytes sub(usize offset, usize count) const {
        return Bytes{data_.subspan(offset, count)};
    }

private:
    ktl::span<const u8> data_;
};

}  // namespace kernel::acpi
