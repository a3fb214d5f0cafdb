// The keyboard decoder: keyboard bytes in, input events out. Hardware-
// independent (the PS/2 driver feeds it and sends the LED command it asks
// for), so the host tests drive it with recorded scancodes.
//
// Owner: the keyboard driver; one decoder per keyboard, fed from one place
// at a time (its interrupt handler, or the polling loop with interrupts
// off), so it has no lock of its own.
#pragma once

#include "kernel/input/event.hpp"
#include "kernel/input/keymap.hpp"
#include "kernel/input/scancode.hpp"
#include "lib/ktl/types.hpp"

namespace kernel::input {

// The PS/2 "set LEDs" (0xED) argument bits.
namespace led {
inline constexpr u8 kScrollLock = 1U << 0;
inline constexpr u8 kNumLock = 1U << 1;
inline constexpr u8 kCapsLock = 1U << 2;
}  // namespace led

struct KeyboardOutput {
    bool has_event = false;
    KeyEvent event{};
    bool leds_changed = false;  // a lock key toggled: send 0xED, then `leds`
    u8 leds = 0;
};

class KeyboardDecoder {
public:
    explicit KeyboardDecoder(ScancodeSet set = ScancodeSet::Set1) : scancodes_(set) {}

    void set_scancode_set(ScancodeSet set) { scancodes_.set_scancode_set(set); }
    [[nodiscard]] ScancodeSet scancode_set() const { return scancodes_.scancode_set(); }
    // The map characters come from; nullptr (the default): current_keymap().
    void set_keymap(const Keymap* map) { keymap_ = map; }

    [[nodiscard]] KeyboardOutput feed(u8 byte);
    // A decoded key transition (what feed() does after the scancode stage).
    [[nodiscard]] KeyboardOutput key(KeyTransition transition);

    [[nodiscard]] u8 modifiers() const;
    [[nodiscard]] u8 leds() const;

private:
    [[nodiscard]] bool is_down(u8 code) const {
        return ((down_[code / 64] >> (code % 64)) & 1U) != 0;
    }
    void set_down(u8 code, bool down);
    [[nodiscard]] KeyEvent describe(u8 code, bool pressed) const;
    [[nodiscard]] const Keymap& map() const {
        return keymap_ != nullptr ? *keymap_ : current_keymap();
    }

    ScancodeDecoder scancodes_;
    const Keymap* keymap_ = nullptr;
    u64 down_[2] = {0, 0};  // keycodes held (0-127)
    bool caps_lock_ = false;
    bool num_lock_ = false;
    bool scroll_lock_ = false;
};

}  // namespace kernel::input
