// Bit and alignment helpers (the <bit> subset the kernel uses).
//
// The alignment helpers take a power-of-two alignment (checked where it is
// a constant; otherwise the caller's promise). align_up wraps past the top of
// T like the addition it is: callers near the end of the address space use
// Range::align_outward (lib/address.hpp), which saturates.
#pragma once

#include "lib/ktl/type_traits.hpp"

namespace ktl {

template <unsigned_integral T>
[[nodiscard]] constexpr bool is_power_of_two(T value) {
    return value != 0 && (value & (value - 1)) == 0;
}

template <unsigned_integral T>
[[nodiscard]] constexpr T align_up(T value, T alignment) {
    return (value + alignment - 1) & ~(alignment - 1);
}
template <unsigned_integral T>
[[nodiscard]] constexpr T align_down(T value, T alignment) {
    return value & ~(alignment - 1);
}
template <unsigned_integral T>
[[nodiscard]] constexpr bool is_aligned(T value, T alignment) {
    return (value & (alignment - 1)) == 0;
}

// Overflow-checked addition: false when a + b does not fit in T.
template <unsigned_integral T>
[[nodiscard]] constexpr bool checked_add(T a, T b, T* out) {
    return !__builtin_add_overflow(a, b, out);
}

template <typename To, typename From>
[[nodiscard]] constexpr To bit_cast(const From& from) {
    static_assert(sizeof(To) == sizeof(From));
    return __builtin_bit_cast(To, from);
}

}  // namespace ktl
