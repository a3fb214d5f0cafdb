#include "kernel/input/keyboard.hpp"

namespace kernel::input {
namespace {

namespace kc = keycode;

// Keys whose meaning is their name, whatever the keymap and Num Lock.
Key named_key(u8 code) {
    if (code >= kc::kF1 && code <= kc::kF10)
        return static_cast<Key>(static_cast<u8>(Key::F1) + (code - kc::kF1));
    switch (code) {
        case kc::kEsc:
            return Key::Escape;
        case kc::kBackspace:
            return Key::Backspace;
        case kc::kTab:
            return Key::Tab;
        case kc::kEnter:
        case kc::kKpEnter:
            return Key::Enter;
        case kc::kLeftCtrl:
        case kc::kRightCtrl:
            return Key::Ctrl;
        case kc::kLeftShift:
        case kc::kRightShift:
            return Key::Shift;
        case kc::kLeftAlt:
            return Key::Alt;
        case kc::kRightAlt:
            return Key::AltGr;
        case kc::kCapsLock:
            return Key::CapsLock;
        case kc::kNumLock:
            return Key::NumLock;
        case kc::kScrollLock:
            return Key::ScrollLock;
        case kc::kF11:
            return Key::F11;
        case kc::kF12:
            return Key::F12;
        case kc::kHome:
            return Key::Home;
        case kc::kUp:
            return Key::Up;
        case kc::kPageUp:
            return Key::PageUp;
        case kc::kLeft:
            return Key::Left;
        case kc::kRight:
            return Key::Right;
        case kc::kEnd:
            return Key::End;
        case kc::kDown:
            return Key::Down;
        case kc::kPageDown:
            return Key::PageDown;
        case kc::kInsert:
            return Key::Insert;
        case kc::kDelete:
            return Key::Delete;
        default:
            return Key::None;
    }
}

// The keypad's digit keys without Num Lock: the navigation printed on them
// (Key::Other for the middle 5, which has none).
Key keypad_navigation(u8 code) {
    constexpr Key kKeypad[] = {Key::Home,     Key::Up,     Key::PageUp, Key::None, Key::Left,
                               Key::Other,    Key::Right,  Key::None,   Key::End,  Key::Down,
                               Key::PageDown, Key::Insert, Key::Delete};
    return code >= kc::kKp7 && code <= kc::kKpDot ? kKeypad[code - kc::kKp7] : Key::None;
}

}  // namespace

void KeyboardDecoder::set_down(u8 code, bool down) {
    const u64 bit = u64{1} << (code % 64);
    if (down)
        down_[code / 64] |= bit;
    else
        down_[code / 64] &= ~bit;
}

u8 KeyboardDecoder::modifiers() const {
    u8 m = 0;
    if (is_down(kc::kLeftShift) || is_down(kc::kRightShift)) m |= modifier::kShift;
    if (is_down(kc::kLeftCtrl) || is_down(kc::kRightCtrl)) m |= modifier::kCtrl;
    if (is_down(kc::kLeftAlt)) m |= modifier::kAlt;
    if (is_down(kc::kRightAlt)) m |= modifier::kAltGr;
    if (caps_lock_) m |= modifier::kCapsLock;
    if (num_lock_) m |= modifier::kNumLock;
    if (scroll_lock_) m |= modifier::kScrollLock;
    return m;
}

u8 KeyboardDecoder::leds() const {
    return static_cast<u8>((scroll_lock_ ? led::kScrollLock : 0) | (num_lock_ ? led::kNumLock : 0) |
                           (caps_lock_ ? led::kCapsLock : 0));
}

KeyEvent KeyboardDecoder::describe(u8 code, bool pressed) const {
    KeyEvent event;
    event.pressed = pressed;
    event.modifiers = modifiers();
    const Key named = named_key(code);
    if (named != Key::None) {
        event.key = named;
        return event;
    }
    if (!num_lock_) {
        const Key nav = keypad_navigation(code);
        if (nav != Key::None) {
            event.key = nav;
            return event;
        }
    }
    const bool shift = (event.modifiers & modifier::kShift) != 0;
    const bool altgr = (event.modifiers & modifier::kAltGr) != 0;
    // Caps Lock is Shift for letters only; Shift undoes it (as on Linux).
    const bool shifted = keymap_caps(map(), code) && caps_lock_ ? !shift : shift;
    const Level level = altgr ? (shifted ? Level::ShiftAltGr : Level::AltGr)
                              : (shifted ? Level::Shift : Level::Plain);
    const char32_t c = code == kc::kUnknown ? 0 : keymap_char(map(), code, level);
    if (c != 0) {
        event.key = Key::Character;
        event.text = c;
    } else {
        event.key = Key::Other;
    }
    return event;
}

KeyboardOutput KeyboardDecoder::key(KeyTransition t) {
    KeyboardOutput out;
    const bool was_down = t.code != kc::kUnknown && is_down(t.code);
    if (t.code != kc::kUnknown && t.code != kc::kPause) set_down(t.code, t.pressed);
    // A break of a key never seen pressed (held since before the reset):
    // nothing a consumer could pair it with.
    if (!t.pressed && t.code != kc::kUnknown && !was_down) return out;
    const bool repeat = t.pressed && was_down;
    if (t.pressed && !repeat) {
        // A lock key's press (not its repeats) toggles it and its LED.
        const u8 before = leds();
        if (t.code == kc::kCapsLock) caps_lock_ = !caps_lock_;
        if (t.code == kc::kNumLock) num_lock_ = !num_lock_;
        if (t.code == kc::kScrollLock) scroll_lock_ = !scroll_lock_;
        out.leds_changed = before != leds();
    }
    out.leds = leds();
    out.has_event = true;
    out.event = describe(t.code, t.pressed);
    out.event.repeat = repeat;
    return out;
}

KeyboardOutput KeyboardDecoder::feed(u8 byte) {
    KeyTransition t{};
    if (!scancodes_.feed(byte, t)) return {};
    return key(t);
}

}  // namespace kernel::input
