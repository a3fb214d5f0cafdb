// A format string checked against its argument types at compile time.
//
// format_to() takes `format_string<type_identity_t<Args>...>`, so Args are
// deduced from the arguments alone and the literal converts through the
// consteval constructor below. A mistake (bad spec, wrong type letter, wrong
// argument count) is then a compile error whose notes quote the reason; see
// format_error.hpp.
#pragma once

#include "lib/format/arg.hpp"
#include "lib/format/format_check.hpp"
#include "lib/ktl/string_view.hpp"
#include "lib/ktl/types.hpp"

namespace kfmt {

template <typename... Args>
class format_string {
    static_assert(sizeof...(Args) <= detail::max_args, "kfmt: at most 64 format arguments");

public:
    template <usize N>
    // NOLINTNEXTLINE(google-explicit-constructor): literals must convert implicitly.
    consteval format_string(const char (&str)[N]) : str_(str, detail::bounded_length(str, N)) {
        check();
    }
    // NOLINTNEXTLINE(google-explicit-constructor): for constexpr string_view constants.
    consteval format_string(ktl::string_view str) : str_(str) { check(); }

    [[nodiscard]] constexpr ktl::string_view get() const { return str_; }

private:
    consteval void check() const {
        // One spare element so that the array is never empty.
        constexpr ArgKind kinds[sizeof...(Args) + 1] = {detail::kind_of<Args>()..., ArgKind::none};
        constexpr SpecCheck checks[sizeof...(Args) + 1] = {detail::spec_check_of<Args>()...,
                                                           &detail::no_spec_check};
        detail::check_format(str_, kinds, sizeof...(Args), checks);
    }

    ktl::string_view str_;
};

}  // namespace kfmt
