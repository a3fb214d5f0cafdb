// Scancodes to keycodes: the PS/2 keyboard's byte stream (scancode set 1,
// which the 8042's translation produces, or set 2 untranslated) decoded to
// Linux keycodes, the numbering of the console keymaps (keymap.hpp), with
// make/break, the E0 extended keys and the E1 Pause sequence.
#pragma once

#include "lib/ktl/types.hpp"

namespace kernel::input {

enum class ScancodeSet : u8 { Set1, Set2 };

// Linux keycodes the decoder names (linux/input-event-codes.h numbering).
namespace keycode {
inline constexpr u8 kEsc = 1, kBackspace = 14, kTab = 15, kEnter = 28, kLeftCtrl = 29,
                    kLeftShift = 42, kRightShift = 54, kKpAsterisk = 55, kLeftAlt = 56,
                    kCapsLock = 58, kF1 = 59, kF10 = 68, kNumLock = 69, kScrollLock = 70, kKp7 = 71,
                    kKpDot = 83, kF11 = 87, kF12 = 88, kKpEnter = 96, kRightCtrl = 97,
                    kKpSlash = 98, kSysRq = 99, kRightAlt = 100, kHome = 102, kUp = 103,
                    kPageUp = 104, kLeft = 105, kRight = 106, kEnd = 107, kDown = 108,
                    kPageDown = 109, kInsert = 110, kDelete = 111, kPause = 119, kLeftMeta = 125,
                    kRightMeta = 126, kCompose = 127;
// An E0 key with no keycode here (a multimedia key): reported as Key::Other.
inline constexpr u8 kUnknown = 0;
}  // namespace keycode

struct KeyTransition {
    u8 code;  // keycode:: (Linux numbering); kUnknown for a key with none
    bool pressed;
};

class ScancodeDecoder {
public:
    explicit constexpr ScancodeDecoder(ScancodeSet set = ScancodeSet::Set1) : set_(set) {}
    void set_scancode_set(ScancodeSet set) {
        set_ = set;
        reset();
    }
    [[nodiscard]] ScancodeSet scancode_set() const { return set_; }
    // Forgets a half-received sequence (after a keyboard reset).
    void reset() {
        extended_ = false;
        released_ = false;
        pause_left_ = 0;
    }

    // Takes one byte from the keyboard; true and `out` set when it ends a
    // key's make or break. Prefix bytes, the fake shifts some keyboards wrap
    // around extended keys, and the keyboard's error codes give false.
    bool feed(u8 byte, KeyTransition& out);

private:
    bool finish(u8 set1_code, bool released, KeyTransition& out);

    ScancodeSet set_;
    bool extended_ = false;  // an E0 came
    bool released_ = false;  // set 2: an F0 came
    u8 pause_left_ = 0;      // bytes of the E1 Pause sequence still to come
};

}  // namespace kernel::input
