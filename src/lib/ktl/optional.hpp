// A value that may be absent, for trivially copyable types only: the kernel's
// uses (parsed fields, lookups) never need more, and it keeps this header tiny.
#pragma once

#include "lib/ktl/type_traits.hpp"

namespace ktl {

struct nullopt_t {};
inline constexpr nullopt_t nullopt{};

template <typename T>
class optional {
    static_assert(is_trivially_copyable_v<T>, "ktl::optional holds trivially copyable types only");

public:
    constexpr optional() = default;
    // NOLINTNEXTLINE(google-explicit-constructor): as std::optional.
    constexpr optional(nullopt_t /*unused*/) {}
    // NOLINTNEXTLINE(google-explicit-constructor): as std::optional.
    constexpr optional(const T& value) : value_(value), present_(true) {}

    [[nodiscard]] constexpr bool has_value() const { return present_; }
    constexpr explicit operator bool() const { return present_; }
    constexpr const T& operator*() const { return value_; }
    constexpr T& operator*() { return value_; }
    constexpr const T* operator->() const { return &value_; }
    [[nodiscard]] constexpr T value_or(const T& fallback) const {
        return present_ ? value_ : fallback;
    }

private:
    T value_{};
    bool present_ = false;
};

}  // namespace ktl
