#include "drivers/ps2/ps2_input.hpp"

#include "kernel/input/keyboard.hpp"
#include "kernel/input/mouse.hpp"
#include "kernel/input/queue.hpp"
#include "kernel/sync/guard.hpp"
#include "kernel/sync/spinlock.hpp"

namespace drivers::ps2 {
namespace {

namespace input = kernel::input;

constexpr u8 kAck = 0xFA, kResend = 0xFE, kSetLeds = 0xED;
// Bytes taken per service() call at most: a controller stuck "full" must
// not keep a CPU in the handler forever.
constexpr u32 kMaxBytesPerService = 64;

// The LED update in flight: 0xED, its ACK, the LED byte, its ACK. Sent a
// byte at a time from the byte stream so nothing ever waits for the
// keyboard inside a handler.
enum class LedStep : u8 { Idle, SentCommand, SentValue };

// Owned by this driver, guarded by g_lock (taken with interrupts off).
struct State {
    Setup setup;
    input::KeyboardDecoder keyboard;
    input::MousePacketDecoder mouse;
    LedStep led_step = LedStep::Idle;
    u8 led_value = 0;
    bool led_again = false;  // the locks changed again while an update was in flight
    u8 last_sent = 0;
};
State g_state;
kernel::Spinlock g_lock;

void start_led_update(State& s) {
    if (s.led_step != LedStep::Idle) {
        s.led_again = true;
        return;
    }
    s.led_step = LedStep::SentCommand;
    s.last_sent = kSetLeds;
    (void)send_keyboard_nowait(kSetLeds);
}

// A keyboard answer to the LED command; true when the byte was one.
bool led_answer(State& s, u8 byte) {
    if (s.led_step == LedStep::Idle || (byte != kAck && byte != kResend)) return false;
    if (byte == kResend) {
        (void)send_keyboard_nowait(s.last_sent);
        return true;
    }
    if (s.led_step == LedStep::SentCommand) {
        s.led_step = LedStep::SentValue;
        s.last_sent = s.keyboard.leds();
        (void)send_keyboard_nowait(s.last_sent);
    } else {
        s.led_step = LedStep::Idle;
        if (s.led_again) {
            s.led_again = false;
            start_led_update(s);
        }
    }
    return true;
}

void keyboard_byte(State& s, u8 byte) {
    if (led_answer(s, byte)) return;
    const input::KeyboardOutput out = s.keyboard.feed(byte);
    if (out.leds_changed) start_led_update(s);
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
}

// Both lines share the controller's one output buffer, and the status
// register says whose byte it is: each handler drains it all.
void keyboard_interrupt(void* /*context*/) { service(); }
void mouse_interrupt(void* /*context*/) { service(); }

}  // namespace drivers::ps2
