// Keymaps: which character each key types, by Linux keycode (the numbering
// Debian's console keymaps use), generated at build time from console-data
// by tools/kmap2cpp.py (cmake/Keymaps.cmake). One map is current; the
// keyboard decoder reads it, `keymap=` and a future shell command set it.
#pragma once

#include "lib/ktl/span.hpp"
#include "lib/ktl/string_view.hpp"
#include "lib/ktl/types.hpp"

namespace kernel::input {

inline constexpr usize kKeymapKeycodes = 128;

// The columns of a keymap entry: the modifier combinations that choose a
// character (Ctrl and Alt do not change it: Ctrl-C is 'c' with kCtrl).
enum class Level : u8 { Plain, Shift, AltGr, ShiftAltGr };

struct KeymapEntry {
    char32_t chars[4]{};  // by Level; 0: the key types nothing at that level
    bool caps = false;    // a letter: Caps Lock acts on it like Shift
};

struct Keymap {
    ktl::string_view name;
    const KeymapEntry* keys = nullptr;  // kKeymapKeycodes entries
};

// Every map compiled in (generated file).
[[nodiscard]] ktl::span<const Keymap> generated_keymaps();
// The map called `name`, or nullptr.
[[nodiscard]] const Keymap* find_keymap(ktl::string_view name);
// "us, de, fr, uk": for messages that reject an unknown name (generated).
[[nodiscard]] ktl::string_view keymap_names();

// The map the keyboard uses ("us" until set). set_keymap() returns false,
// changing nothing, for an unknown name. The current map is one pointer,
// read by the keyboard handler and written whole: no lock is needed.
[[nodiscard]] const Keymap& current_keymap();
[[nodiscard]] bool set_keymap(ktl::string_view name);

// The character `keycode` types at `level` under `map`, 0 if none. A level
// the map leaves empty falls back to the plain character unless AltGr is
// held (AltGr with nothing assigned types nothing).
[[nodiscard]] char32_t keymap_char(const Keymap& map, u8 keycode, Level level);
[[nodiscard]] bool keymap_caps(const Keymap& map, u8 keycode);

}  // namespace kernel::input
