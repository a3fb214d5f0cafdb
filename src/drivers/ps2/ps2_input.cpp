#include "drivers/ps2/ps2_input.hpp"

#include "drivers/ps2/led_exchange.hpp"
#include "kernel/input/keyboard.hpp"
#include "kernel/input/mouse.hpp"
#include "kernel/input/queue.hpp"
#include "kernel/log/log.hpp"
#include "kernel/sync/guard.hpp"
#include "kernel/sync/spinlock.hpp"

namespace drivers::ps2 {
namespace {

namespace input = kernel::input;

// Bytes taken per service() call at most: a controller stuck "full" must
// not keep a CPU in the handler forever.
constexpr u32 kMaxBytesPerService = 64;

// Owned by this driver, guarded by g_lock (taken with interrupts off).
struct State {
    Setup setup;
    input::KeyboardDecoder keyboard;
    input::MousePacketDecoder mouse;
    // The LED update in flight (led_exchange.hpp): a byte at a time from
    // the byte stream and the idle loop, so nothing waits for the keyboard
    // or the controller inside a handler.
    LedExchange leds;
    u32 led_failures = 0;  // exchanges given up; the first is logged
};
State g_state;
kernel::Spinlock g_lock;

// Hands the exchange's byte to the controller if it can take it at once;
// if its input buffer is still full, the byte waits for the next step
// (the next byte from the keyboard, or the idle loop's step_leds()).
void send_led_byte(State& s) {
    u8 byte = 0;
    if (s.leds.byte_to_send(byte) && try_send_keyboard(byte)) s.leds.sent();
}

// The exchange's failure, once in the log (at debug: a keyboard without
// LEDs, or one that drops an ACK, is no error of the user's); the rest are
// counted.
void note_led_failure(State& s) {
    const LedExchange::Failure f = s.leds.take_failure();
    if (f == LedExchange::Failure::None) return;
    if (s.led_failures++ != 0) return;
    if (f == LedExchange::Failure::TimedOut)
        kernel::log::debug(
            "ps/2: keyboard LED update abandoned (no answer within {} ms); the next lock change "
            "tries again (further ones not logged)",
            LedExchange::kTimeoutUs / 1000);
    else
        kernel::log::debug(
            "ps/2: keyboard LED update abandoned (RESEND after {} resends); the next lock change "
            "tries again (further ones not logged)",
            LedExchange::kMaxResends);
}

void led_step(State& s) {
    s.leds.tick();
    note_led_failure(s);
    send_led_byte(s);
}

void keyboard_byte(State& s, u8 byte) {
    if (s.leds.answer(byte)) {
        note_led_failure(s);
        send_led_byte(s);
        return;
    }
    const input::KeyboardOutput out = s.keyboard.feed(byte);
    if (out.leds_changed) {
        s.leds.request(s.keyboard.leds());
        send_led_byte(s);
    }
    if (!out.has_event) return;
    input::Event event;
    event.kind = input::Kind::Key;
    event.source = input::Source::Keyboard;
    event.key = out.event;
    input::push(event);
}

void mouse_byte(State& s, u8 byte) {
    input::MouseEvent m;
    if (!s.mouse.feed(byte, m)) return;
    input::Event event;
    event.kind = input::Kind::Mouse;
    event.source = input::Source::Mouse;
    event.mouse = m;
    input::push(event);
}

}  // namespace

Setup start() {
    const kernel::IrqSaveSpinlockGuard guard(g_lock);
    State& s = g_state;
    s.setup = setup_controller();
    s.keyboard.set_scancode_set(s.setup.translated ? input::ScancodeSet::Set1
                                                   : input::ScancodeSet::Set2);
    s.mouse.set_wheel(s.setup.wheel);
    return s.setup;
}

void service() {
    const kernel::IrqSaveSpinlockGuard guard(g_lock);
    State& s = g_state;
    if (!s.setup.controller) return;
    u8 byte = 0;
    bool aux = false;
    for (u32 i = 0; i < kMaxBytesPerService && read_output(byte, aux); ++i) {
        if (aux)
            mouse_byte(s, byte);
        else
            keyboard_byte(s, byte);
    }
    led_step(s);
}

void step_leds() {
    const kernel::IrqSaveSpinlockGuard guard(g_lock);
    State& s = g_state;
    if (!s.setup.controller || s.leds.idle()) return;
    led_step(s);
}

// Both lines share the controller's one output buffer, and the status
// register says whose byte it is: each handler drains it all.
void keyboard_interrupt(void* /*context*/) { service(); }
void mouse_interrupt(void* /*context*/) { service(); }

}  // namespace drivers::ps2
