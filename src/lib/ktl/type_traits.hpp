// The type traits the kernel needs, built on compiler builtins that both
// clang and GCC provide. A deliberately small subset of <type_traits>.
#pragma once

#include "lib/ktl/types.hpp"

namespace ktl {

template <typename T, T V>
struct integral_constant {
    static constexpr T value = V;
};
using true_type = integral_constant<bool, true>;
using false_type = integral_constant<bool, false>;

template <typename T>
struct type_identity {
    using type = T;
};
template <typename T>
using type_identity_t = typename type_identity<T>::type;

template <typename T>
struct remove_cv {
    using type = T;
};
template <typename T>
struct remove_cv<const T> {
    using type = T;
};
template <typename T>
struct remove_cv<volatile T> {
    using type = T;
};
template <typename T>
struct remove_cv<const volatile T> {
    using type = T;
};
template <typename T>
using remove_cv_t = typename remove_cv<T>::type;

template <typename T>
struct remove_reference {
    using type = T;
};
template <typename T>
struct remove_reference<T&> {
    using type = T;
};
template <typename T>
struct remove_reference<T&&> {
    using type = T;
};
template <typename T>
using remove_reference_t = typename remove_reference<T>::type;
template <typename T>
using remove_cvref_t = remove_cv_t<remove_reference_t<T>>;

template <typename A, typename B>
inline constexpr bool is_same_v = __is_same(A, B);

template <typename T>
struct is_integral_base : false_type {};
template <>
struct is_integral_base<bool> : true_type {};
template <>
struct is_integral_base<char> : true_type {};
template <>
struct is_integral_base<signed char> : true_type {};
template <>
struct is_integral_base<unsigned char> : true_type {};
template <>
struct is_integral_base<char8_t> : true_type {};
template <>
struct is_integral_base<char16_t> : true_type {};
template <>
struct is_integral_base<char32_t> : true_type {};
template <>
struct is_integral_base<wchar_t> : true_type {};
template <>
struct is_integral_base<short> : true_type {};
template <>
struct is_integral_base<unsigned short> : true_type {};
template <>
struct is_integral_base<int> : true_type {};
template <>
struct is_integral_base<unsigned int> : true_type {};
template <>
struct is_integral_base<long> : true_type {};
template <>
struct is_integral_base<unsigned long> : true_type {};
template <>
struct is_integral_base<long long> : true_type {};
template <>
struct is_integral_base<unsigned long long> : true_type {};

template <typename T>
inline constexpr bool is_integral_v = is_integral_base<remove_cv_t<T>>::value;
template <typename T>
inline constexpr bool is_enum_v = __is_enum(T);
template <typename T>
inline constexpr bool is_pointer_v = false;
template <typename T>
inline constexpr bool is_pointer_v<T*> = true;
template <typename T>
inline constexpr bool is_pointer_v<T* const> = true;
template <typename T>
inline constexpr bool is_signed_v = is_integral_v<T> && (T(-1) < T(0));
template <typename T>
inline constexpr bool is_unsigned_v = is_integral_v<T> && !(T(-1) < T(0));
template <typename T>
inline constexpr bool is_trivially_copyable_v = __is_trivially_copyable(T);

template <typename T>
using underlying_type_t = __underlying_type(T);

// make_unsigned for the integer types the formatter and bit helpers use.
template <typename T>
struct make_unsigned {
    using type = T;
};
template <>
struct make_unsigned<char> {
    using type = unsigned char;
};
template <>
struct make_unsigned<signed char> {
    using type = unsigned char;
};
template <>
struct make_unsigned<short> {
    using type = unsigned short;
};
template <>
struct make_unsigned<int> {
    using type = unsigned int;
};
template <>
struct make_unsigned<long> {
    using type = unsigned long;
};
template <>
struct make_unsigned<long long> {
    using type = unsigned long long;
};
template <typename T>
using make_unsigned_t = typename make_unsigned<remove_cv_t<T>>::type;

template <bool B, typename T, typename F>
struct conditional {
    using type = T;
};
template <typename T, typename F>
struct conditional<false, T, F> {
    using type = F;
};
template <bool B, typename T, typename F>
using conditional_t = typename conditional<B, T, F>::type;

template <typename T>
constexpr T&& forward(remove_reference_t<T>& t) noexcept {
    return static_cast<T&&>(t);
}
template <typename T>
constexpr remove_reference_t<T>&& move(T&& t) noexcept {
    return static_cast<remove_reference_t<T>&&>(t);
}

constexpr bool is_constant_evaluated() noexcept { return __builtin_is_constant_evaluated(); }

template <typename T>
concept integral = is_integral_v<T>;
template <typename T>
concept signed_integral = integral<T> && is_signed_v<T>;
template <typename T>
concept unsigned_integral = integral<T> && !is_signed_v<T>;

}  // namespace ktl
