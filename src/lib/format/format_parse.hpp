// The format string grammar: literal text, "{{" and "}}" escapes, and
// replacement fields "{" [index] [":" spec] "}".
//
// One scanner serves both the compile-time check and the run-time renderer,
// so the two can never disagree about where a field starts or which argument
// it names. It reports to a handler:
//   void on_text(const char* begin, const char* end);
//   const char* on_field(usize index, bool automatic, const FormatSpec& spec,
//                        const char* field_begin, const char* field_end);
// on_field returns nullptr or a reason to stop.
#pragma once

#include "lib/format/format_error.hpp"
#include "lib/format/format_spec.hpp"
#include "lib/ktl/string_view.hpp"
#include "lib/ktl/types.hpp"

namespace kfmt::detail {

struct ScanResult {
    const char* error = nullptr;
    usize error_offset = 0;  // Where the offending field or brace starts.
};

// Parses the argument index of the field whose '{' is just before p. As in
// {fmt}, fields are numbered automatically ("{}") or manually ("{0}"), never
// both in one string, and named arguments do not exist here.
constexpr const char* parse_arg_index(const char*& p, const char* end, bool& automatic,
                                      usize& index) {
    if (p == end) return fail("unmatched '{' in format string (write '{{' for a literal '{')");
    if (*p == '}' || *p == ':') {
        automatic = true;
        return nullptr;
    }
    automatic = false;
    if (!is_digit(*p)) return fail("invalid argument index (named arguments are not supported)");
    u32 value = 0;
    if (*p == '0') {
        ++p;  // {fmt} rejects leading zeros, such as "{01}".
    } else if (!parse_number(p, end, value)) {
        return fail("argument index is too big");
    }
    if (p == end || (*p != '}' && *p != ':'))
        return fail("invalid argument index (expected '}' or ':' after it)");
    index = value;
    return nullptr;
}

template <typename Handler>
// NOLINTNEXTLINE(readability-function-cognitive-complexity): one pass of the scanner
constexpr ScanResult scan_format(ktl::string_view fmt, Handler& handler) {
    enum class Indexing : u8 { unknown, automatic, manual };
    const char* const begin = fmt.begin();
    const char* const end = fmt.end();
    const char* p = begin;
    const char* text = begin;
    usize next_index = 0;
    Indexing indexing = Indexing::unknown;

    while (p != end) {
        if (*p != '{' && *p != '}') {
            ++p;
            continue;
        }
        if (text != p) handler.on_text(text, p);
        const char* const field = p;
        const auto error_at = [&](const char* reason) {
            return ScanResult{reason, static_cast<usize>(field - begin)};
        };
        if (*p == '}') {
            if (p + 1 == end || p[1] != '}') {
                return error_at(
                    fail("unmatched '}' in format string (write '}}' for a literal '}')"));
            }
            handler.on_text(p, p + 1);
            p += 2;
            text = p;
            continue;
        }
        ++p;
        if (p != end && *p == '{') {
            handler.on_text(p, p + 1);
            ++p;
            text = p;
            continue;
        }

        bool automatic = false;
        usize index = 0;
        if (const char* error = parse_arg_index(p, end, automatic, index)) return error_at(error);
        if (automatic) {
            if (indexing == Indexing::manual)
                return error_at(fail("cannot switch from manual to automatic argument indexing"));
            indexing = Indexing::automatic;
            index = next_index++;
        } else {
            if (indexing == Indexing::automatic)
                return error_at(fail("cannot switch from automatic to manual argument indexing"));
            indexing = Indexing::manual;
        }

        FormatSpec spec;
        if (*p == ':') {
            ++p;
            if (const char* error = parse_spec(p, end, spec)) return error_at(error);
        }
        ++p;  // The closing '}', which both parsers above guarantee.
        if (const char* error = handler.on_field(index, automatic, spec, field, p))
            return error_at(error);
        text = p;
    }
    if (text != end) handler.on_text(text, end);
    return {};
}

}  // namespace kfmt::detail
