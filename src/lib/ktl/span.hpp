// A non-owning view of a contiguous array, as std::span with a dynamic extent.
#pragma once

#include "lib/ktl/types.hpp"

namespace ktl {

template <typename T>
class span {
public:
    constexpr span() = default;
    constexpr span(T* data, usize size) : data_(data), size_(size) {}
    template <usize N>
    // NOLINTNEXTLINE(google-explicit-constructor): arrays convert implicitly, as std::span.
    constexpr span(T (&array)[N]) : data_(array), size_(N) {}

    [[nodiscard]] constexpr T* data() const { return data_; }
    [[nodiscard]] constexpr usize size() const { return size_; }
    [[nodiscard]] constexpr bool empty() const { return size_ == 0; }
    constexpr T& operator[](usize i) const { return data_[i]; }
    [[nodiscard]] constexpr T* begin() const { return data_; }
    [[nodiscard]] constexpr T* end() const { return data_ + size_; }
    [[nodiscard]] constexpr span subspan(usize pos, usize count) const {
        if (pos > size_) pos = size_;
        if (count > size_ - pos) count = size_ - pos;
        return {data_ + pos, count};
    }

private:
    T* data_ = nullptr;
    usize size_ = 0;
};

}  // namespace ktl
