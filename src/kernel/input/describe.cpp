#include "kernel/input/describe.hpp"

#include "lib/format/format.hpp"

namespace kernel::input {
namespace {

constexpr ktl::string_view kKeyNames[] = {
    "None",     "Character", "Enter",      "Backspace", "Tab",    "Escape", "Up",     "Down",
    "Left",     "Right",     "Home",       "End",       "Insert", "Delete", "PageUp", "PageDown",
    "F1",       "F2",        "F3",         "F4",        "F5",     "F6",     "F7",     "F8",
    "F9",       "F10",       "F11",        "F12",       "Shift",  "Ctrl",   "Alt",    "AltGr",
    "CapsLock", "NumLock",   "ScrollLock", "Other",
};
static_assert(sizeof kKeyNames / sizeof kKeyNames[0] == static_cast<usize>(Key::Other) + 1,
              "a Key without a name");

void put_utf8(EventText& out, char32_t c) {
    if (c < 0x80) {
        out.put(static_cast<char>(c));
    } else if (c < 0x800) {
        out.put(static_cast<char>(0xC0 | (c >> 6)));
        out.put(static_cast<char>(0x80 | (c & 0x3F)));
    } else if (c < 0x10000) {
        out.put(static_cast<char>(0xE0 | (c >> 12)));
        out.put(static_cast<char>(0x80 | ((c >> 6) & 0x3F)));
        out.put(static_cast<char>(0x80 | (c & 0x3F)));
    } else {
        out.put(static_cast<char>(0xF0 | (c >> 18)));
        out.put(static_cast<char>(0x80 | ((c >> 12) & 0x3F)));
        out.put(static_cast<char>(0x80 | ((c >> 6) & 0x3F)));
        out.put(static_cast<char>(0x80 | (c & 0x3F)));
    }
}

// Each set bit's name, after a space.
void put_words(EventText& out, u8 bits, const ktl::string_view* names, usize count) {
    for (usize i = 0; i < count; ++i) {
        if ((bits & (1U << i)) == 0) continue;
        out.put(' ');
        out.write(names[i].data(), names[i].size());
    }
}

}  // namespace

ktl::string_view key_name(Key key) {
    const auto i = static_cast<usize>(key);
    return i < sizeof kKeyNames / sizeof kKeyNames[0] ? kKeyNames[i] : "?";
}

void describe_event(const Event& event, EventText& out) {
    if (event.kind == Kind::Mouse) {
        const MouseEvent& m = event.mouse;
        kfmt::format_to(out, "mouse: dx={} dy={} buttons=", m.dx, m.dy);
        if (m.buttons == 0) {
            out.write("none", 4);
        } else {
            bool first = true;
            constexpr ktl::string_view kButtons[] = {"left", "right", "middle"};
            for (usize i = 0; i < 3; ++i) {
                if ((m.buttons & (1U << i)) == 0) continue;
                if (!first) out.put('+');
                out.write(kButtons[i].data(), kButtons[i].size());
                first = false;
            }
        }
        kfmt::format_to(out, " wheel={}", static_cast<int>(m.wheel));
        return;
    }
    const KeyEvent& k = event.key;
    const ktl::string_view source = event.source == Source::Serial ? "serial" : "key";
    const ktl::string_view action = !k.pressed ? "release" : (k.repeat ? "repeat" : "press");
    kfmt::format_to(out, "{}: {} ", source, action);
    if (k.key == Key::Character) {
        out.put('\'');
        put_utf8(out, k.text);
        out.put('\'');
    } else {
        const ktl::string_view name = key_name(k.key);
        out.write(name.data(), name.size());
    }
    constexpr ktl::string_view kModifiers[] = {"shift", "ctrl", "alt",   "altgr",
                                               "caps",  "num",  "scroll"};
    put_words(out, k.modifiers, kModifiers, 7);
}

}  // namespace kernel::input
