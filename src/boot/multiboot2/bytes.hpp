// Bounds-checked, alignment-free reads from the MBI's bytes.
//
// The MBI is untrusted input at an address the loader chose; tag payloads
// such as the ELF section headers start at offsets that are not naturally
// aligned. Every read therefore copies bytes (memcpy has no alignment
// requirement) and first checks the range, so a bad size can at worst make a
// read fail, never go out of bounds.
#pragma once

#include "lib/ktl/span.hpp"
#include "lib/ktl/type_traits.hpp"
#include "lib/ktl/types.hpp"

namespace boot::multiboot2 {

using Bytes = ktl::span<const u8>;

// True when [offset, offset + length) lies within `bytes`, without overflow.
[[nodiscard]] constexpr bool in_bounds(Bytes bytes, usize offset, usize length) {
    return offset <= bytes.size() && length <= bytes.size() - offset;
}

// Copies sizeof(T) bytes at `offset` into `out`; false (and `out` untouched)
// when they do not all lie within `bytes`. x86 is little-endian, as is the MBI.
template <typename T>
[[nodiscard]] bool load(Bytes bytes, usize offset, T& out) {
    static_assert(ktl::is_trivially_copyable_v<T>);
    if (!in_bounds(bytes, offset, sizeof(T))) return false;
    __builtin_memcpy(&out, bytes.data() + offset, sizeof(T));
    return true;
}

}  // namespace boot::multiboot2
