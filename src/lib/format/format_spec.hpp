// One replacement field's format spec: [[fill]align][sign][#][0][width][.precision][type].
//
// The grammar and its quirks follow {fmt} 9 so that the host tests can use
// {fmt} as an oracle: for example a '0' flag replaces the fill character even
// after an explicit alignment ("{:*<05}" pads with '0'). One deliberate
// difference: '}' is never a fill character, because {fmt} 9 would then read
// "{:}<x" as a broken spec rather than an empty one. Whether a spec suits an
// argument's type is decided separately (format_check.hpp); this is syntax only.
#pragma once

#include "lib/format/format_error.hpp"
#include "lib/ktl/types.hpp"

namespace kfmt {

// `numeric` is what the '0' flag selects when no alignment is given: padding
// goes between the sign/prefix and the digits.
enum class Align : u8 { none, left, right, center, numeric };
enum class Sign : u8 { none, minus, plus, space };

struct FormatSpec {
    u32 width = 0;
    i32 precision = -1;  // -1: none given.
    char fill = ' ';
    Align align = Align::none;
    Sign sign = Sign::none;
    bool alt = false;   // '#'
    bool zero = false;  // '0'; kept apart from align because only numbers accept it.
    char type = '\0';   // '\0': none given.
};

namespace detail {

// Width and precision share {fmt}'s limit, the largest int, so that a spec
// accepted by one is accepted by the other.
inline constexpr u32 max_spec_number = 0x7fff'ffff;

constexpr bool is_digit(char c) { return c >= '0' && c <= '9'; }

// Parses the decimal number at p (at least one digit is known to be there).
// Returns false on overflow past max_spec_number.
constexpr bool parse_number(const char*& p, const char* end, u32& out) {
    u64 value = 0;
    bool overflow = false;
    while (p != end && is_digit(*p)) {
        value = value * 10 + static_cast<u64>(*p - '0');
        if (value > max_spec_number) {
            overflow = true;
            value = max_spec_number;
        }
        ++p;
    }
    out = static_cast<u32>(value);
    return !overflow;
}

constexpr Align align_of(char c) {
    switch (c) {
        case '<':
            return Align::left;
        case '>':
            return Align::right;
        case '^':
            return Align::center;
        default:
            return Align::none;
    }
}

constexpr bool is_type_char(char c) {
    switch (c) {
        case 'd':
        case 'x':
        case 'X':
        case 'b':
        case 'B':
        case 'o':
        case 'c':
        case 's':
        case 'p':
            return true;
        default:
            return false;
    }
}

constexpr const char* parse_type(char c, FormatSpec& spec) {
    if (c == 'L') return fail("locale-specific formatting ('L') is not supported");
    if (!is_type_char(c)) return fail("invalid type in format spec (expected d x X b B o c s p)");
    spec.type = c;
    return nullptr;
}

}  // namespace detail

// Parses a spec starting just after the ':' and stops at the closing '}',
// which is left for the caller. `end` is the end of the whole format string.
// Returns nullptr on success or the reason the spec is malformed.
// NOLINTNEXTLINE(readability-function-cognitive-complexity): the spec grammar, in order
constexpr const char* parse_spec(const char*& p, const char* end, FormatSpec& spec) {
    using namespace detail;
    if (p == end) return fail("missing '}' in format string");

    if (*p == '}') return nullptr;

    // Alignment, with an optional fill character before it.
    if (end - p > 1 && align_of(p[1]) != Align::none) {
        if (p[0] == '{') return fail("'{' cannot be a fill character");
        if (static_cast<unsigned char>(p[0]) >= 0x80)
            return fail("the fill character must be ASCII");
        spec.fill = p[0];
        spec.align = align_of(p[1]);
        p += 2;
    } else if (align_of(p[0]) != Align::none) {
        spec.align = align_of(p[0]);
        ++p;
    }
    if (p == end) return fail("missing '}' in format string");

    switch (*p) {
        case '+':
            spec.sign = Sign::plus;
            ++p;
            break;
        case '-':
            spec.sign = Sign::minus;
            ++p;
            break;
        case ' ':
            spec.sign = Sign::space;
            ++p;
            break;
        default:
            break;
    }
    if (p != end && *p == '#') {
        spec.alt = true;
        ++p;
    }
    if (p != end && *p == '0') {
        spec.zero = true;
        if (spec.align == Align::none) spec.align = Align::numeric;
        spec.fill = '0';
        ++p;
    }
    if (p != end && is_digit(*p)) {
        if (!parse_number(p, end, spec.width)) return fail("width is too big");
    } else if (p != end && *p == '{') {
        return fail("dynamic width ('{}' inside a spec) is not supported");
    }
    if (p != end && *p == '.') {
        ++p;
        if (p != end && *p == '{')
            return fail("dynamic precision ('{}' inside a spec) is not supported");
        if (p == end || !is_digit(*p)) return fail("missing precision after '.'");
        u32 precision = 0;
        if (!parse_number(p, end, precision)) return fail("precision is too big");
        spec.precision = static_cast<i32>(precision);
    }
    if (p == end) return fail("missing '}' in format string");
    if (*p != '}') {
        if (const char* error = parse_type(*p, spec)) return error;
        ++p;
    }
    if (p == end || *p != '}') return fail("unexpected character in format spec, or missing '}'");
    return nullptr;
}

}  // namespace kfmt
