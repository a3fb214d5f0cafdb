// How a bad format string becomes a compile error that names the reason.
//
// Every check in the formatter is an ordinary constexpr function that reports
// a problem with `return fail("reason");`. Evaluated at run time (the host
// tests do this) fail() just hands the reason back. Evaluated inside the
// consteval format_string constructor it calls format_error(), which is not
// constexpr, so the constructor is not a constant expression and the build
// stops. Both clang and GCC print the constexpr call stack with argument
// values, so the literal reason passed to fail() appears in the diagnostic.
#pragma once

namespace kfmt::detail {

// Deliberately not constexpr: calling it during constant evaluation is the
// error. Defined (and empty) so that no translation unit needs to link it.
inline void format_error(const char* /*reason*/) {}

constexpr const char* fail(const char* reason) {
    if (__builtin_is_constant_evaluated()) format_error(reason);
    return reason;
}

}  // namespace kfmt::detail
