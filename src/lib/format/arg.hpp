// A formatting argument with its type erased to one of a few kinds.
//
// format_to() packs its arguments into an array of Arg and calls the single
// non-template vformat_to(), so each call site costs a few stores rather than
// a formatter instantiation per argument type.
#pragma once

#include "lib/format/format_spec.hpp"
#include "lib/format/formatter.hpp"
#include "lib/format/sink.hpp"
#include "lib/ktl/string_view.hpp"
#include "lib/ktl/type_traits.hpp"
#include "lib/ktl/types.hpp"

namespace kfmt {

enum class ArgKind : u8 {
    none,  // Not formattable; only ever seen by the compile-time check.
    signed_int,
    unsigned_int,
    boolean,
    character,
    string,   // Known length: ktl::string_view or a char array.
    cstring,  // NUL-terminated, possibly null; measured only when printed.
    pointer,
    custom,  // A type with a kfmt::Formatter specialisation (formatter.hpp).
};

// A custom argument's own spec check, run by the compile-time check.
using SpecCheck = const char* (*)(const FormatSpec&);

struct Arg {
    ArgKind kind = ArgKind::none;
    union {
        i64 i;
        u64 u;
        bool b;
        char c;
        struct {
            const char* data;
            usize size;
        } s;
        const char* cstr;
        uptr ptr;
        struct {
            const void* object;  // Lives until the formatting call returns.
            void (*format)(Sink&, const void*, const FormatSpec&);
        } custom;
    };

    // NOLINTNEXTLINE(cppcoreguidelines-pro-type-member-init): u is the union's active member
    constexpr Arg() : u(0) {}
};

namespace detail {

template <typename T>
inline constexpr bool is_wide_char_v = ktl::is_same_v<T, wchar_t> || ktl::is_same_v<T, char8_t> ||
                                       ktl::is_same_v<T, char16_t> || ktl::is_same_v<T, char32_t>;

template <typename T>
struct array_traits {
    static constexpr bool is_array = false;
    using element = void;
};
template <typename T, usize N>
struct array_traits<T[N]> {
    static constexpr bool is_array = true;
    using element = T;
};
template <typename T>
inline constexpr bool is_array_v = array_traits<T>::is_array;

template <typename T>
struct pointee {
    using type = void;
};
template <typename T>
struct pointee<T*> {
    using type = T;
};

// The kind an argument of type T is formatted as, following {fmt}: `char` is
// a character but `signed char`/`unsigned char` (i8/u8) are numbers; char
// arrays and char pointers are strings. A type with a kfmt::Formatter
// specialisation is custom. Wide and UTF character types, enums and other
// class types are not formattable (cast enums to their underlying type
// explicitly).
template <typename Raw>
constexpr ArgKind kind_of() {
    using T = ktl::remove_cvref_t<Raw>;
    if constexpr (ktl::is_same_v<T, bool>) {
        return ArgKind::boolean;
    } else if constexpr (ktl::is_same_v<T, char>) {
        return ArgKind::character;
    } else if constexpr (is_wide_char_v<T>) {  // NOLINT(bugprone-branch-clone): before integral
        return ArgKind::none;
    } else if constexpr (ktl::is_integral_v<T>) {
        return ktl::is_signed_v<T> ? ArgKind::signed_int : ArgKind::unsigned_int;
    } else if constexpr (ktl::is_same_v<T, ktl::string_view>) {
        return ArgKind::string;
    } else if constexpr (Formattable<T>) {
        return ArgKind::custom;
    } else if constexpr (is_array_v<T>) {
        using Element = ktl::remove_cv_t<typename array_traits<T>::element>;
        return ktl::is_same_v<Element, char> ? ArgKind::string : ArgKind::none;
    } else if constexpr (ktl::is_same_v<T, decltype(nullptr)>) {
        return ArgKind::pointer;
    } else if constexpr (ktl::is_pointer_v<T>) {
        using Pointee = typename pointee<T>::type;
        if constexpr (ktl::is_same_v<Pointee, char> || ktl::is_same_v<Pointee, const char>)
            return ArgKind::cstring;
        else if constexpr (is_wide_char_v<ktl::remove_cv_t<Pointee>>)
            return ArgKind::none;
        else
            return ArgKind::pointer;
    } else {
        return ArgKind::none;
    }
}

constexpr const char* no_spec_check(const FormatSpec& /*unused*/) { return nullptr; }

// The custom check of a custom argument; a no-op for the others, whose
// kinds the checker knows (never null, see format_check.hpp).
template <typename Raw>
constexpr SpecCheck spec_check_of() {
    using T = ktl::remove_cvref_t<Raw>;
    if constexpr (kind_of<T>() == ArgKind::custom)
        return &check_custom<T>;
    else
        return &no_spec_check;
}

// Bounded so that a char array without a terminator is not overrun.
constexpr usize bounded_length(const char* s, usize max) {
    usize n = 0;
    while (n < max && s[n] != '\0') ++n;
    return n;
}

// bounded_length() for make_arg's char arrays, out of line: inlined there it
// is unrolled into a test per character for each array size used, code that
// runs once per size and is translated once per size under QEMU's TCG.
usize array_length(const char* s, usize max);

}  // namespace detail

template <typename T>
Arg make_arg(const T& value) {
    constexpr ArgKind kind = detail::kind_of<T>();
    static_assert(kind != ArgKind::none,
                  "kfmt: this argument type is not formattable (a class type needs a "
                  "kfmt::Formatter specialisation, see lib/format/formatter.hpp)");
    Arg arg;
    arg.kind = kind;
    if constexpr (kind == ArgKind::boolean) {
        arg.b = value;
    } else if constexpr (kind == ArgKind::character) {
        arg.c = value;
    } else if constexpr (kind == ArgKind::signed_int) {
        arg.i = static_cast<i64>(value);
    } else if constexpr (kind == ArgKind::unsigned_int) {
        arg.u = static_cast<u64>(value);
    } else if constexpr (kind == ArgKind::string && detail::is_array_v<T>) {
        arg.s = {value, detail::array_length(value, sizeof(T))};
    } else if constexpr (kind == ArgKind::string) {
        arg.s = {value.data(), value.size()};
    } else if constexpr (kind == ArgKind::cstring) {
        arg.cstr = value;
    } else if constexpr (kind == ArgKind::custom) {
        arg.custom = {&value, &detail::format_custom<ktl::remove_cvref_t<T>>};
    } else if constexpr (ktl::is_same_v<T, decltype(nullptr)>) {
        arg.ptr = 0;
    } else {
        // reinterpret_cast rather than a cast to const void*, so that volatile
        // and function pointers print too.
        arg.ptr = reinterpret_cast<uptr>(value);
    }
    return arg;
}

}  // namespace kfmt
