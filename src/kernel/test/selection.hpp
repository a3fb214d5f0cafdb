// Which in-kernel tests a selection selects (kernel/test/ktest.hpp).
#pragma once

#include "lib/ktl/string_view.hpp"

namespace kernel::test {

// Tests that run for minutes under QEMU's TCG (4 x 10^6 locked increments
// on several CPUs): never part of `test` or `test=smp`, only of a prefix
// that names them (test=smpslow_).
inline constexpr ktl::string_view kSlowPrefix = "smpslow";

// A name is selected by `prefix` when it starts with it (every name for an
// empty prefix), except a slow test, which only a prefix starting with
// kSlowPrefix selects.
[[nodiscard]] constexpr bool prefix_selects(ktl::string_view prefix, ktl::string_view name) {
    if (!name.starts_with(prefix)) return false;
    return !name.starts_with(kSlowPrefix) || prefix.starts_with(kSlowPrefix);
}

// The prefixes of a selection, one after another: `test=irq_,timer_` runs
// both groups in one boot. Empty ones (",," or a trailing ",") are
// skipped: an empty prefix would select every test.
class Prefixes {
public:
    constexpr explicit Prefixes(ktl::string_view selection) : rest_(selection) {}

    // The next non-empty prefix; false when there is none left.
    constexpr bool next(ktl::string_view& prefix) {
        while (!rest_.empty()) {
            const usize comma = rest_.find(',');
            prefix = rest_.substr(0, comma);
            rest_ = comma == ktl::string_view::npos ? ktl::string_view{} : rest_.substr(comma + 1);
            if (!prefix.empty()) return true;
        }
        return false;
    }

private:
    ktl::string_view rest_;
};

// A name is selected when one of the selection's prefixes selects it; a
// selection without any prefix ("" or ",") selects every quick test.
[[nodiscard]] constexpr bool selects(ktl::string_view selection, ktl::string_view name) {
    Prefixes prefixes(selection);
    ktl::string_view prefix;
    bool any = false;
    while (prefixes.next(prefix)) {
        if (prefix_selects(prefix, name)) return true;
        any = true;
    }
    return !any && prefix_selects("", name);
}

}  // namespace kernel::test
