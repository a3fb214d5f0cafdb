// One input event, whatever produced it: the PS/2 keyboard and mouse and the
// serial line all feed the same queue (queue.hpp), and the shell reads it.
// Keys are decoded to what they mean (a character through the keymap, or a
// named key), so a consumer never sees scancodes or escape sequences.
#pragma once

#include "lib/ktl/types.hpp"

namespace kernel::input {

// Where an event came from: the shell answers on the side that typed.
enum class Source : u8 { Keyboard, Mouse, Serial };

enum class Kind : u8 { Key, Mouse };

// Named keys. Key::Character means the key produced `text` (letters, digits,
// punctuation, space, and with Ctrl held the letter itself: Ctrl-C is
// Character 'c' with Modifier::Ctrl).
enum class Key : u8 {
    None,
    Character,
    Enter,
    Backspace,
    Tab,
    Escape,
    Up,
    Down,
    Left,
    Right,
    Home,
    End,
    Insert,
    Delete,
    PageUp,
    PageDown,
    F1,
    F2,
    F3,
    F4,
    F5,
    F6,
    F7,
    F8,
    F9,
    F10,
    F11,
    F12,
    // Keys that change state rather than type; reported so tests and a
    // future UI can see them.
    Shift,
    Ctrl,
    Alt,
    AltGr,
    CapsLock,
    NumLock,
    ScrollLock,
    Other,  // a key with no meaning here (e.g. a multimedia key)
};

// Modifier bits held when the event happened.
namespace modifier {
inline constexpr u8 kShift = 1U << 0;
inline constexpr u8 kCtrl = 1U << 1;
inline constexpr u8 kAlt = 1U << 2;
inline constexpr u8 kAltGr = 1U << 3;
inline constexpr u8 kCapsLock = 1U << 4;  // lock states, not keys held
inline constexpr u8 kNumLock = 1U << 5;
inline constexpr u8 kScrollLock = 1U << 6;
}  // namespace modifier

// Mouse button bits.
namespace button {
inline constexpr u8 kLeft = 1U << 0;
inline constexpr u8 kRight = 1U << 1;
inline constexpr u8 kMiddle = 1U << 2;
}  // namespace button

struct KeyEvent {
    Key key = Key::None;
    char32_t text = 0;    // Key::Character: the Unicode character; else 0
    u8 modifiers = 0;     // modifier:: bits
    bool pressed = true;  // make (or auto-repeat) vs break; serial: presses only
    bool repeat = false;  // a typematic repeat of a key still held
};

struct MouseEvent {
    i16 dx = 0;      // right positive
    i16 dy = 0;      // up positive (PS/2's convention)
    i8 wheel = 0;    // IntelliMouse wheel, down positive
    u8 buttons = 0;  // button:: bits held after this packet
};

struct Event {
    Kind kind = Kind::Key;
    Source source = Source::Keyboard;
    KeyEvent key{};      // kind == Kind::Key
    MouseEvent mouse{};  // kind == Kind::Mouse
};

}  // namespace kernel::input
