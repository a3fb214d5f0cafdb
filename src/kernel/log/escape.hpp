// Text from outside the kernel (the loader's command line, module strings,
// its name) made safe to log: a byte outside printable ASCII reaches an
// operator's terminal as "\x1b", never as a control sequence that clears
// the screen or moves the cursor.
#pragma once

#include "lib/ktl/span.hpp"
#include "lib/ktl/string_view.hpp"

namespace kernel::log {

// Writes `text` into `out` with every byte outside 0x20..0x7E as \xNN and
// returns the written part. When `out` is too small the result ends in
// "..." (never a cut escape).
[[nodiscard]] ktl::string_view escape_unprintable(ktl::string_view text, ktl::span<char> out);

}  // namespace kernel::log
