// The hook that makes a user type formattable: a kfmt::Formatter<T>
// specialisation next to the type.
//
//   template <>
//   struct kfmt::Formatter<Celsius> {
//       // Optional: which specs the type accepts, checked at compile time
//       // with the format string. Returns nullptr or the reason. Without it
//       // only fill, alignment and width are accepted.
//       static constexpr const char* check(const kfmt::FormatSpec& spec);
//       // Writes the value; padding, if the type accepts a width, is its own.
//       static void format(kfmt::Sink& out, const Celsius& value, const kfmt::FormatSpec& spec);
//   };
//
// A specialisation, not an ADL function, so that a type is formattable
// exactly when someone meant it to be, and the check can name the hook when
// it is missing. The helpers below let a formatter reuse the built-in
// rendering (integers, padded text) so that its output follows the same
// rules as everything else.
#pragma once

#include "lib/format/format_error.hpp"
#include "lib/format/format_spec.hpp"
#include "lib/format/sink.hpp"
#include "lib/ktl/string_view.hpp"
#include "lib/ktl/types.hpp"

namespace kfmt {

// Deliberately undefined: a type has no formatter until it specialises this.
template <typename T>
struct Formatter;

template <typename T>
concept Formattable = requires(Sink& out, const T& value, const FormatSpec& spec) {
    Formatter<T>::format(out, value, spec);
};

// Written exactly as an unsigned integer argument with this spec would be
// ("{:#x}" on a u64 and write_unsigned(out, v, spec-with-#x) agree).
void write_unsigned(Sink& out, u64 value, const FormatSpec& spec);
// `text` padded to the spec's width and cut to its precision, as a string
// argument would be.
void write_text(Sink& out, ktl::string_view text, const FormatSpec& spec);

namespace detail {

// What a formatter without its own check accepts: fill, alignment, width.
constexpr const char* check_padding_only(const FormatSpec& spec) {
    if (spec.sign != Sign::none || spec.alt || spec.zero || spec.precision >= 0 ||
        spec.type != '\0')
        return fail("this type takes only fill, alignment and width in its format spec");
    return nullptr;
}

template <typename T>
constexpr const char* check_custom(const FormatSpec& spec) {
    if constexpr (requires { Formatter<T>::check(spec); })
        return Formatter<T>::check(spec);
    else
        return check_padding_only(spec);
}

template <typename T>
void format_custom(Sink& out, const void* value, const FormatSpec& spec) {
    Formatter<T>::format(out, *static_cast<const T*>(value), spec);
}

}  // namespace detail

}  // namespace kfmt
