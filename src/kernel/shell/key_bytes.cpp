#include "kernel/shell/key_bytes.hpp"

namespace kernel::shell {

namespace {
using input::Key;

usize put(ktl::span<char> out, ktl::string_view bytes) {
    for (usize i = 0; i < bytes.size(); ++i) out[i] = bytes[i];
    return bytes.size();
}

usize character(const input::KeyEvent& key, ktl::span<char> out) {
    // Printable ASCII only: a control code comes from Ctrl and a letter,
    // never from a character event (an overlong UTF-8 CR, say).
    if (key.text < 0x20 || key.text >= 0x7F) return 0;
    // Alt-<key> (Meta) is bound to nothing; AltGr chooses characters.
    if ((key.modifiers & input::modifier::kAlt) != 0) return 0;
    char c = static_cast<char>(key.text);
    if ((key.modifiers & input::modifier::kCtrl) != 0) {
        // Ctrl-letter is the letter's control code, whatever its case.
        if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
        if (c < '@' || c > '_') return 0;  // Ctrl with a digit or symbol: nothing
        c = static_cast<char>(c & 0x1F);
    }
    out[0] = c;
    return 1;
}
}  // namespace

usize key_bytes(const input::KeyEvent& key, ktl::span<char> out) {
    if (!key.pressed || out.size() < kMaxKeyBytes) return 0;
    // Ctrl or Alt with a cursor key (Ctrl-Left, Alt-Up, Ctrl-Delete) is not
    // the key alone, and the editor binds no such pair: nothing, as the
    // editor does with a modified sequence typed on COM1. Shift changes
    // nothing a cursor key does here, so Shift-Left is Left.
    const bool ctrl_or_alt =
        (key.modifiers & (input::modifier::kCtrl | input::modifier::kAlt)) != 0;
    if (ctrl_or_alt && key.key != Key::Character && key.key != Key::Enter &&
        key.key != Key::Backspace && key.key != Key::Tab)
        return 0;
    switch (key.key) {
        case Key::Character:
            return character(key, out);
        case Key::Enter:
            return put(out, "\r");
        case Key::Backspace:
            return put(out, "\x7f");
        case Key::Tab:
            return put(out, "\t");
        case Key::Up:
            return put(out, "\x1b[A");
        case Key::Down:
            return put(out, "\x1b[B");
        case Key::Right:
            return put(out, "\x1b[C");
        case Key::Left:
            return put(out, "\x1b[D");
        case Key::Home:
            return put(out, "\x1b[H");
        case Key::End:
            return put(out, "\x1b[F");
        case Key::Delete:
            return put(out, "\x1b[3~");
        default:
            return 0;  // Escape alone would start a sequence; others mean nothing here
    }
}

}  // namespace kernel::shell
