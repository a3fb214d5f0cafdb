// Names close to a misspelt one, for "did you mean" messages: the `test=`
// option's prefix that matches no in-kernel test, and later the shell.
#pragma once

#include "lib/ktl/span.hpp"
#include "lib/ktl/string_view.hpp"
#include "lib/ktl/types.hpp"

namespace kernel {

// Edit distance (insertions, deletions, substitutions) between `typed` and
// the start of `name` as long as `typed`, or the whole name when shorter:
// a prefix with one typo is close to every name it was meant to start.
// Strings are compared up to 64 characters.
[[nodiscard]] u32 prefix_distance(ktl::string_view typed, ktl::string_view name);

// Fills `out` with up to out.size() of `names` closest to `typed` (within
// a third of its length, at least 2 edits), closest first, ties in the
// order given; returns how many. Duplicate names are listed once.
usize close_names(ktl::string_view typed, ktl::span<const ktl::string_view> names,
                  ktl::span<ktl::string_view> out);

}  // namespace kernel
