// A fixed-size array with value semantics, as std::array.
#pragma once

#include "lib/ktl/types.hpp"

namespace ktl {

template <typename T, usize N>
struct array {
    T elements[N];

    [[nodiscard]] static constexpr usize size() { return N; }
    constexpr T& operator[](usize i) { return elements[i]; }
    constexpr const T& operator[](usize i) const { return elements[i]; }
    constexpr T* data() { return elements; }
    [[nodiscard]] constexpr const T* data() const { return elements; }
    constexpr T* begin() { return elements; }
    constexpr T* end() { return elements + N; }
    [[nodiscard]] constexpr const T* begin() const { return elements; }
    [[nodiscard]] constexpr const T* end() const { return elements + N; }
};

}  // namespace ktl
