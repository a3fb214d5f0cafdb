#include "kernel/input/keymap.hpp"

namespace kernel::input {
namespace {

const Keymap* g_current = nullptr;

}  // namespace

const Keymap* find_keymap(ktl::string_view name) {
    for (const Keymap& map : generated_keymaps())
        if (map.name == name) return &map;
    return nullptr;
}

const Keymap& current_keymap() {
    const Keymap* map = __atomic_load_n(&g_current, __ATOMIC_ACQUIRE);
    return map != nullptr ? *map : generated_keymaps()[0];
}

bool set_keymap(ktl::string_view name) {
    const Keymap* map = find_keymap(name);
    if (map == nullptr) return false;
    __atomic_store_n(&g_current, map, __ATOMIC_RELEASE);
    return true;
}

char32_t keymap_char(const Keymap& map, u8 keycode, Level level) {
    if (keycode >= kKeymapKeycodes) return 0;
    const KeymapEntry& entry = map.keys[keycode];
    const char32_t c = entry.chars[static_cast<u8>(level)];
    if (c != 0 || level == Level::AltGr || level == Level::ShiftAltGr) return c;
    return entry.chars[static_cast<u8>(Level::Plain)];
}

bool keymap_caps(const Keymap& map, u8 keycode) {
    return keycode < kKeymapKeycodes && map.keys[keycode].caps;
}

}  // namespace kernel::input
