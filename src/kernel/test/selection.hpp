// Which in-kernel tests a prefix selects (kernel/test/ktest.hpp).
#pragma once

#include "lib/ktl/string_view.hpp"

namespace kernel::test {

// Tests that run for minutes under QEMU's TCG (4 x 10^6 locked increments
// on several CPUs): never part of `test` or `test=smp`, only of a prefix
// that names them (test=smpslow_).
inline constexpr ktl::string_view kSlowPrefix = "smpslow";

// A name is selected when it starts with `prefix` (every name for an empty
// prefix), except a slow test, which only a prefix starting with
// kSlowPrefix selects.
[[nodiscard]] constexpr bool selects(ktl::string_view prefix, ktl::string_view name) {
    if (!name.starts_with(prefix)) return false;
    return !name.starts_with(kSlowPrefix) || prefix.starts_with(kSlowPrefix);
}

}  // namespace kernel::test
