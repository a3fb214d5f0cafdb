// Serial terminal input to key events: what a terminal emulator sends for
// each key (ASCII, UTF-8, control characters, and the escape sequences of
// the VT100/xterm family: ESC [ A, ESC O H, ESC [ 3 ~ ...). Hardware-
// independent, host-tested; the COM1 driver feeds it.
// Owner: the serial input driver (one feeder at a time).
#pragma once

#include "kernel/input/event.hpp"
#include "lib/ktl/types.hpp"

namespace kernel::input {

class TerminalDecoder {
public:
    // Takes one byte; returns how many keys it completed (0-2: ESC then a
    // control character is both keys), in out[0], out[1]. A broken sequence
    // (an unknown final byte, one too long, a control character inside) is
    // dropped whole; a byte that broke it is decoded afresh. A well-formed
    // sequence that is no key (a private or intermediate byte, as in
    // ESC [ ? 25 h or a mouse report ESC [ < 0;1;1 M) is dropped whole too,
    // and so are the strings ESC ] (OSC), ESC P, ESC _ and ESC ^, up to BEL
    // or ESC \ (CAN and SUB abort one), and an X10 mouse report ESC [ M
    // with its three raw bytes. rxvt's ESC [ 3 $ is Shift-Delete.
    // Invalid UTF-8 (overlong forms, surrogates, past U+10FFFF) is dropped:
    // a C0 8D must not become an Enter.
    u8 feed(u8 byte, KeyEvent (&out)[2]);
    // Called when the line has been quiet for a while: an ESC still
    // waiting for the rest of a sequence was the Escape key itself. True
    // and `out` set for it; a half sequence is dropped.
    bool flush(KeyEvent& out);
    // Whether a sequence is in progress (the caller times flush() by it).
    [[nodiscard]] bool pending() const { return state_ != State::Ground || utf8_left_ != 0; }

    [[nodiscard]] u64 dropped() const { return dropped_; }

private:
    enum class State : u8 { Ground, Escape, Csi, Ss3, Discard, String, MouseReport };
    bool ground(u8 byte, KeyEvent& out);
    bool utf8_continuation(u8 byte, KeyEvent& out);
    void utf8_lead(u8 byte);
    bool csi_final(u8 byte, KeyEvent& out);
    u8 escape(u8 byte, KeyEvent (&out)[2]);
    u8 ss3(u8 byte, KeyEvent (&out)[2]);
    u8 csi(u8 byte, KeyEvent (&out)[2]);
    u8 discard(u8 byte, KeyEvent (&out)[2]);
    u8 begin_mouse_report();
    u8 rxvt_shift_key(KeyEvent& out);
    void string(u8 byte);
    void drop() {
        ++dropped_;
        state_ = State::Ground;
    }

    State state_ = State::Ground;
    static constexpr u8 kMaxParams = 2;
    u16 params_[kMaxParams] = {};
    u8 param_count_ = 0;  // parameters begun
    u8 csi_length_ = 0;
    u8 mouse_left_ = 0;                // raw bytes of an X10 mouse report still to come
    bool csi_not_a_key_ = false;       // a private or intermediate byte was seen
    bool escape_ends_string_ = false;  // this ESC ended an OSC/DCS/APC/PM string
    char32_t utf8_ = 0;
    char32_t utf8_min_ = 0;  // the least code point the lead's length may encode
    u8 utf8_left_ = 0;
    bool after_cr_ = false;  // a LF right after a CR is the same Enter
    u64 dropped_ = 0;
};

}  // namespace kernel::input
