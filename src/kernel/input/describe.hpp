// Input events in words, one line each, for the `input=echo` test mode and
// diagnostics: `key: press 'a' shift`, `serial: press Left`,
// `mouse: dx=5 dy=-3 buttons=left wheel=1`.
#pragma once

#include "kernel/input/event.hpp"
#include "lib/format/buffer.hpp"
#include "lib/ktl/string_view.hpp"

namespace kernel::input {

// "Left", "F5", "Character", ...
[[nodiscard]] ktl::string_view key_name(Key key);

using EventText = kfmt::Buffer<96>;
void describe_event(const Event& event, EventText& out);

}  // namespace kernel::input
