// Key events (kernel/input/event.hpp) as the bytes the line editor reads:
// the VT100/xterm sequences a serial terminal sends for the same keys, so
// both sides of the shell go through one editor and one escape parser.
#pragma once

#include "kernel/input/event.hpp"
#include "lib/ktl/span.hpp"
#include "lib/ktl/string_view.hpp"
#include "lib/ktl/types.hpp"

namespace kernel::shell {

// The longest sequence key_bytes() writes ("ESC [ 3 ~").
inline constexpr usize kMaxKeyBytes = 4;

// Writes the bytes for `key` into `out` (kMaxKeyBytes long, or nothing is
// written) and returns how many: 0 for a
// release, a modifier alone, a key the editor has no use for, or a
// character outside ASCII (the editor's buffer is ASCII).
usize key_bytes(const input::KeyEvent& key, ktl::span<char> out);

}  // namespace kernel::shell
