// Whether a format string suits a list of argument kinds: the rules behind
// format_string's compile-time check, usable at run time by tests.
//
// The type rules are {fmt} 9's: for example a sign needs a signed argument,
// '#' and '0' need a number, precision is only for strings, and a char shown
// as a character takes no sign, '#' or '0'. On top of {fmt}, every argument
// must be used, so that a forgotten "{}" is caught rather than ignored.
#pragma once

#include "lib/format/arg.hpp"
#include "lib/format/format_error.hpp"
#include "lib/format/format_parse.hpp"
#include "lib/format/format_spec.hpp"
#include "lib/ktl/string_view.hpp"
#include "lib/ktl/types.hpp"

namespace kfmt::detail {

// The check tracks use with one bit per argument.
inline constexpr usize max_args = 64;

constexpr bool is_int_type(char type) {
    switch (type) {
        case '\0':
        case 'd':
        case 'x':
        case 'X':
        case 'b':
        case 'B':
        case 'o':
        case 'c':
            return true;
        default:
            return false;
    }
}

// A function rather than a constant so that the literal itself is what fail()
// receives, which is what compilers quote in the diagnostic.
constexpr const char* fail_not_formattable() {
    return fail(
        "argument type is not formattable (a class type needs a kfmt::Formatter "
        "specialisation, see lib/format/formatter.hpp; cast an enum to its underlying type)");
}

// For a custom argument whose check is unknown (a run-time caller passed no
// checks): refuse rather than guess.
constexpr const char* no_custom_check(const FormatSpec& /*unused*/) {
    return fail("a custom argument without its spec check");
}

// `custom` is the argument's own check when kind is ArgKind::custom. (Never
// compared with null: GCC cannot compare a function template's address in a
// constant expression.)
// NOLINTNEXTLINE(readability-function-cognitive-complexity): the spec grammar's rules
constexpr const char* check_spec(const FormatSpec& spec, ArgKind kind,
                                 SpecCheck custom = &no_custom_check) {
    if (kind == ArgKind::custom) return custom(spec);
    const bool numeric = kind == ArgKind::signed_int || kind == ArgKind::unsigned_int ||
                         kind == ArgKind::boolean || kind == ArgKind::character;
    if (kind == ArgKind::none) return fail_not_formattable();
    if (spec.sign != Sign::none) {
        if (!numeric) return fail("a sign ('+', '-' or ' ') needs a numeric argument");
        if (kind != ArgKind::signed_int && kind != ArgKind::character)
            return fail("a sign ('+', '-' or ' ') needs a signed argument");
    }
    if (spec.alt && !numeric) return fail("'#' needs a numeric argument");
    if (spec.zero && !numeric) return fail("'0' needs a numeric argument");
    if (spec.precision >= 0 && kind != ArgKind::string && kind != ArgKind::cstring)
        return fail("precision is only allowed for strings");

    const char type = spec.type;
    switch (kind) {
        case ArgKind::signed_int:
        case ArgKind::unsigned_int:
            if (!is_int_type(type))
                return fail("invalid type for an integer (expected d x X b B o c)");
            return nullptr;
        case ArgKind::boolean:
            if (type != 's' && !is_int_type(type))
                return fail("invalid type for a bool (expected s, or d x X b B o c)");
            return nullptr;
        case ArgKind::character:
            if (type == '\0' || type == 'c') {
                if (spec.align == Align::numeric || spec.sign != Sign::none || spec.alt)
                    return fail("a char shown as a character takes no sign, '#' or '0' flag");
                return nullptr;
            }
            if (!is_int_type(type))
                return fail("invalid type for a char (expected c, or d x X b B o)");
            return nullptr;
        case ArgKind::string:
            if (type != '\0' && type != 's') return fail("invalid type for a string (expected s)");
            return nullptr;
        case ArgKind::cstring:
            if (type != '\0' && type != 's' && type != 'p')
                return fail("invalid type for a C string (expected s or p)");
            return nullptr;
        case ArgKind::pointer:
            if (type != '\0' && type != 'p') return fail("invalid type for a pointer (expected p)");
            return nullptr;
        case ArgKind::none:
        case ArgKind::custom:
            break;
    }
    return fail_not_formattable();
}

class FormatChecker {
public:
    constexpr FormatChecker(const ArgKind* kinds, usize count, const SpecCheck* checks)
        : kinds_(kinds), checks_(checks), count_(count) {}

    constexpr void on_text(const char* /*unused*/, const char* /*unused*/) {}

    constexpr const char* on_field(usize index, bool automatic, const FormatSpec& spec,
                                   const char* /*unused*/, const char* /*unused*/) {
        if (index >= count_) {
            if (automatic) return fail("more replacement fields than arguments");
            return fail("argument index out of range");
        }
        used_ |= u64{1} << index;
        return check_spec(spec, kinds_[index],
                          checks_ != nullptr ? checks_[index] : &no_custom_check);
    }

    [[nodiscard]] constexpr bool all_used() const {
        const u64 all = count_ == 64 ? ~u64{0} : (u64{1} << count_) - 1;
        return used_ == all;
    }

private:
    const ArgKind* kinds_;
    const SpecCheck* checks_;
    usize count_;
    u64 used_ = 0;
};

// Returns nullptr if fmt is valid for arguments of the given kinds, or the
// reason it is not. `checks` (parallel to kinds) holds the custom arguments'
// own spec checks; it may be null when no kind is custom.
constexpr const char* check_format(ktl::string_view fmt, const ArgKind* kinds, usize count,
                                   const SpecCheck* checks = nullptr) {
    if (count > max_args) return fail("too many format arguments (at most 64)");
    FormatChecker checker(kinds, count, checks);
    if (const ScanResult result = scan_format(fmt, checker); result.error) return result.error;
    if (!checker.all_used()) return fail("more arguments than the format string uses");
    return nullptr;
}

}  // namespace kfmt::detail
