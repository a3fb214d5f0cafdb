#include "kernel/input/terminal.hpp"

namespace kernel::input {
namespace {

constexpr u8 kEsc = 0x1B, kDel = 0x7F, kBackspace = 0x08, kTab = 0x09, kCr = 0x0D, kLf = 0x0A,
             kBel = 0x07, kCan = 0x18, kSub = 0x1A;
// Longer than any sequence decoded here: a runaway is dropped, not buffered.
constexpr u8 kMaxCsiLength = 12;

KeyEvent named(Key key, u8 modifiers = 0) {
    KeyEvent e;
    e.key = key;
    e.modifiers = modifiers;
    return e;
}

KeyEvent character(char32_t c, u8 modifiers = 0) {
    KeyEvent e;
    e.key = Key::Character;
    e.text = c;
    e.modifiers = modifiers;
    return e;
}

// The letter keys of ESC [ x and ESC O x.
Key letter_key(u8 byte) {
    switch (byte) {
        case 'A':
            return Key::Up;
        case 'B':
            return Key::Down;
        case 'C':
            return Key::Right;
        case 'D':
            return Key::Left;
        case 'H':
            return Key::Home;
        case 'F':
            return Key::End;
        case 'P':
            return Key::F1;
        case 'Q':
            return Key::F2;
        case 'R':
            return Key::F3;
        case 'S':
            return Key::F4;
        default:
            return Key::None;
    }
}

// The numbers of ESC [ n ~ (VT220 and the Linux console).
Key tilde_key(u16 n) {
    switch (n) {
        case 1:
        case 7:
            return Key::Home;
        case 2:
            return Key::Insert;
        case 3:
            return Key::Delete;
        case 4:
        case 8:
            return Key::End;
        case 5:
            return Key::PageUp;
        case 6:
            return Key::PageDown;
        case 11:
            return Key::F1;
        case 12:
            return Key::F2;
        case 13:
            return Key::F3;
        case 14:
            return Key::F4;
        case 15:
            return Key::F5;
        case 17:
            return Key::F6;
        case 18:
            return Key::F7;
        case 19:
            return Key::F8;
        case 20:
            return Key::F9;
        case 21:
            return Key::F10;
        case 23:
            return Key::F11;
        case 24:
            return Key::F12;
        default:
            return Key::None;
    }
}

// xterm's modifier parameter (ESC [ 1 ; 5 C is Ctrl-Right): 1 + a bit set.
u8 xterm_modifiers(u16 param) {
    if (param < 2) return 0;
    const u16 bits = param - 1;
    return static_cast<u8>(((bits & 1U) != 0 ? modifier::kShift : 0) |
                           ((bits & 2U) != 0 ? modifier::kAlt : 0) |
                           ((bits & 4U) != 0 ? modifier::kCtrl : 0));
}

}  // namespace

bool TerminalDecoder::csi_final(u8 byte, KeyEvent& out) {
    const u8 mods = param_count_ >= 2 ? xterm_modifiers(params_[1]) : 0;
    Key key = Key::None;
    if (byte == '~')
        key = param_count_ >= 1 ? tilde_key(params_[0]) : Key::None;
    else
        key = letter_key(byte);
    if (key == Key::None) {
        drop();
        return false;
    }
    state_ = State::Ground;
    out = named(key, mods);
    return true;
}

bool TerminalDecoder::ground(u8 byte, KeyEvent& out) {
    const bool after_cr = after_cr_;
    after_cr_ = byte == kCr;
    if (utf8_left_ != 0) {
        if ((byte & 0xC0) == 0x80) return utf8_continuation(byte, out);
        // A character cut short: dropped, and this byte starts afresh.
        utf8_left_ = 0;
        ++dropped_;
    }
    if (byte == kEsc) {
        state_ = State::Escape;
        return false;
    }
    if (byte == kCr) {
        out = named(Key::Enter);
        return true;
    }
    if (byte == kLf) {
        if (after_cr) return false;
        out = named(Key::Enter);
        return true;
    }
    if (byte == kDel || byte == kBackspace) {
        out = named(Key::Backspace);
        return true;
    }
    if (byte == kTab) {
        out = named(Key::Tab);
        return true;
    }
    if (byte == 0) return false;  // Ctrl-@ / a line break: nothing a shell wants
    if (byte < 0x20) {
        // Ctrl-A..Ctrl-Z, then Ctrl-\ ] ^ _: the character with Ctrl held.
        const char32_t c = byte <= 26 ? U'a' + (byte - 1) : U'\\' + (byte - 0x1C);
        out = character(c, modifier::kCtrl);
        return true;
    }
    if (byte < 0x80) {
        out = character(byte);
        return true;
    }
    utf8_lead(byte);
    return false;
}

bool TerminalDecoder::utf8_continuation(u8 byte, KeyEvent& out) {
    utf8_ = (utf8_ << 6) | (byte & 0x3FU);
    if (--utf8_left_ != 0) return false;
    // An overlong form (C0 8D is a CR in disguise), a surrogate or a value
    // past Unicode's last: not a character.
    if (utf8_ < utf8_min_ || (utf8_ >= 0xD800 && utf8_ <= 0xDFFF) || utf8_ > 0x10FFFF) {
        ++dropped_;
        return false;
    }
    out = character(utf8_);
    return true;
}

void TerminalDecoder::utf8_lead(u8 byte) {
    // UTF-8 lead bytes; a stray continuation byte or an invalid lead is dropped.
    if ((byte & 0xE0) == 0xC0) {
        utf8_ = byte & 0x1FU;
        utf8_min_ = 0x80;
        utf8_left_ = 1;
    } else if ((byte & 0xF0) == 0xE0) {
        utf8_ = byte & 0x0FU;
        utf8_min_ = 0x800;
        utf8_left_ = 2;
    } else if ((byte & 0xF8) == 0xF0) {
        utf8_ = byte & 0x07U;
        utf8_min_ = 0x10000;
        utf8_left_ = 3;
    } else {
        ++dropped_;
    }
}

u8 TerminalDecoder::escape(u8 byte, KeyEvent (&out)[2]) {
    const bool ended_string = escape_ends_string_;
    escape_ends_string_ = false;
    if (byte == '[') {
        state_ = State::Csi;
        params_[0] = params_[1] = 0;
        param_count_ = 0;
        csi_length_ = 0;
        csi_not_a_key_ = false;
        return 0;
    }
    if (byte == 'O') {
        state_ = State::Ss3;
        return 0;
    }
    if (byte == ']' || byte == 'P' || byte == '_' || byte == '^') {
        // OSC, DCS, APC, PM: a string for the terminal (a window title, a
        // reply), never a key; swallowed to its end.
        state_ = State::String;
        return 0;
    }
    state_ = State::Ground;
    if (byte == '\\') return 0;  // ST: the end of a string already left
    // The ESC that ended a string was no key: the byte after it stands alone.
    if (ended_string) return feed(byte, out);
    if (byte == kEsc) {
        // ESC ESC: the first was the Escape key; the second may begin a
        // sequence.
        state_ = State::Escape;
        out[0] = named(Key::Escape);
        return 1;
    }
    if (byte >= 0x20 && byte < 0x7F) {
        // ESC then a character: what terminals send for Alt-<key>.
        out[0] = character(byte, modifier::kAlt);
        return 1;
    }
    // ESC then a control character (Enter, Ctrl-C): both keys.
    out[0] = named(Key::Escape);
    return ground(byte, out[1]) ? 2 : 1;
}

u8 TerminalDecoder::ss3(u8 byte, KeyEvent (&out)[2]) {
    const Key key = letter_key(byte);
    if (key == Key::None) {
        drop();
        return byte == kEsc ? feed(byte, out) : 0;
    }
    state_ = State::Ground;
    out[0] = named(key);
    return 1;
}

u8 TerminalDecoder::csi(u8 byte, KeyEvent (&out)[2]) {
    if (++csi_length_ > kMaxCsiLength) {
        // Too long to be a key: the rest of it, up to its final byte, is
        // swallowed rather than typed.
        drop();
        state_ = State::Discard;
        return feed(byte, out);
    }
    if (byte >= '0' && byte <= '9') {
        if (param_count_ == 0) param_count_ = 1;
        u16& p = params_[param_count_ - 1];
        p = static_cast<u16>(p * 10 + (byte - '0'));
        if (p > 999) p = 999;
        return 0;
    }
    if (byte == ';') {
        if (param_count_ == 0) param_count_ = 1;
        if (param_count_ < kMaxParams) ++param_count_;
        return 0;
    }
    if (byte == '$' && param_count_ == 1 && !csi_not_a_key_) return rxvt_shift_key(out[0]);
    if (byte >= 0x20 && byte <= 0x3F) {
        // Another parameter byte (: < = > ?) or an intermediate (space to
        // /): a well-formed sequence, but not one a key sends.
        csi_not_a_key_ = true;
        return 0;
    }
    if (byte == 'M' && csi_length_ == 1) return begin_mouse_report();
    if (byte >= 0x40 && byte <= 0x7E) {
        if (csi_not_a_key_) {
            drop();
            return 0;
        }
        return csi_final(byte, out[0]) ? 1 : 0;
    }
    // A control character inside a sequence: the sequence is broken; the
    // byte (an ESC starting a new one) counts.
    drop();
    return feed(byte, out);
}

// rxvt's Shift with a ~ key ends in $ (ESC [ 3 $ is Shift-Delete): a final
// byte there, not an intermediate that waits for one.
u8 TerminalDecoder::rxvt_shift_key(KeyEvent& out) {
    const Key key = tilde_key(params_[0]);
    if (key == Key::None) {
        drop();
        return 0;
    }
    state_ = State::Ground;
    out = named(key, modifier::kShift);
    return 1;
}

// An X10 mouse report: ESC [ M, then button, column and row as raw bytes
// (32 + value), none of them a final byte to wait for. Keel never asks for
// mouse reports, but a terminal left in that mode by an earlier program
// sends them; they must not be typed.
u8 TerminalDecoder::begin_mouse_report() {
    ++dropped_;
    state_ = State::MouseReport;
    mouse_left_ = 3;
    return 0;
}

u8 TerminalDecoder::discard(u8 byte, KeyEvent (&out)[2]) {
    if (byte >= 0x40 && byte <= 0x7E) {
        state_ = State::Ground;
        return 0;
    }
    if (byte < 0x20) {
        state_ = State::Ground;
        return feed(byte, out);
    }
    return 0;
}

void TerminalDecoder::string(u8 byte) {
    // BEL ends it, and CAN or SUB abort it (as on a VT100); ESC ends it too:
    // ESC \ is its terminator (escape() swallows the backslash), any other
    // sequence counts. Each string counts once as dropped: it is no key.
    if (byte == kBel || byte == kCan || byte == kSub) {
        drop();
    } else if (byte == kEsc) {
        ++dropped_;
        state_ = State::Escape;
        escape_ends_string_ = true;
    }
}

u8 TerminalDecoder::feed(u8 byte, KeyEvent (&out)[2]) {
    switch (state_) {
        case State::Ground:
            return ground(byte, out[0]) ? 1 : 0;
        case State::Escape:
            return escape(byte, out);
        case State::Ss3:
            return ss3(byte, out);
        case State::Csi:
            return csi(byte, out);
        case State::Discard:
            return discard(byte, out);
        case State::String:
            string(byte);
            return 0;
        case State::MouseReport:
            if (--mouse_left_ == 0) state_ = State::Ground;
            return 0;
    }
    return 0;
}

bool TerminalDecoder::flush(KeyEvent& out) {
    const State state = state_;
    state_ = State::Ground;
    if (utf8_left_ != 0) {
        utf8_left_ = 0;
        ++dropped_;
    }
    // An ESC that ended a string when the line went quiet was the first
    // half of the string's terminator, not the Escape key.
    const bool ended_string = escape_ends_string_;
    escape_ends_string_ = false;
    if (state == State::Escape && !ended_string) {
        out = named(Key::Escape);
        return true;
    }
    if (state == State::Csi || state == State::Ss3 || state == State::String) ++dropped_;
    return false;
}

}  // namespace kernel::input
