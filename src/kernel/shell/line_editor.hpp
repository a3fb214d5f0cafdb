// The shell's line editor: bytes from a keyboard or a serial terminal in,
// an edited line and the screen updates to draw it out. Hardware-independent
// (host-tested); the shell feeds it one byte at a time from either input.
//
// Keys (VT100/xterm sequences as terminals send them; the PS/2 driver will
// translate its keys to the same bytes):
//   Left/Right, Home/End (ESC [ D/C/H/F, ESC [ 1~/4~, ESC O H/F), Ctrl-A/E
//   Backspace (0x7F or 0x08), Delete (ESC [ 3~)
//   Ctrl-U (erase to start), Ctrl-K (erase to end), Ctrl-W (erase a word)
//   Ctrl-C (abandon the line), Ctrl-L (clear the screen, redraw)
//   Up/Down (ESC [ A/B): history; Tab: completion through a callback
//   Enter (CR or LF; CR LF counts once): the line is done
// A line longer than the buffer, or than fits on one row after the prompt,
// is refused with a bell and left intact up to the limit: the editor moves
// the cursor left with backspaces, which no console or terminal takes back
// across a row break, so a wrapped line could not be edited in place.
// Other control bytes and broken escape sequences are ignored.
#pragma once

#include "kernel/log/sink.hpp"
#include "lib/ktl/span.hpp"
#include "lib/ktl/string_view.hpp"
#include "lib/ktl/types.hpp"

namespace kernel::shell {

// Where the editor draws: plain text and a few terminal actions.
class Terminal {
public:
    virtual void write(ktl::string_view text) = 0;
    virtual void bell() = 0;
    virtual void clear_screen() = 0;
    // The prompt and the typed text are drawn in styles of their own.
    virtual void set_style(log::Style style) { (void)style; }
    // The width of a row (log::Sink::columns()): a line never wraps.
    [[nodiscard]] virtual u32 columns() const { return 80; }

protected:
    ~Terminal() = default;
};

// What Tab completes: fills `out` with the candidates for `word` (the text
// before the cursor after the last space, or the whole line when there is
// none, `first_word` true) and returns how many there are.
using Completer = usize (*)(ktl::string_view line_before_word, ktl::string_view word,
                            ktl::span<ktl::string_view> out);

class LineEditor {
public:
    static constexpr usize kCapacity = 160;
    static constexpr usize kHistory = 16;

    enum class Event : u8 { None, Line, Cancelled };

    explicit LineEditor(Terminal& terminal, ktl::string_view prompt, Completer completer = nullptr)
        : terminal_(terminal), prompt_(prompt), completer_(completer) {}

    // Draws the prompt (and the line so far).
    void start();
    // Feeds one input byte. Event::Line: line() holds the finished line (it
    // stays valid until the next feed); Event::Cancelled: Ctrl-C.
    Event feed(char byte);
    [[nodiscard]] ktl::string_view line() const { return {done_, done_length_}; }

private:
    enum class Escape : u8 { None, Esc, Csi, Ss3, Discard };

    // The longest line: kCapacity, or less when a row is narrower.
    [[nodiscard]] usize limit() const;
    void insert(char c);
    void erase_before(usize count);
    void erase_after(usize count);
    void move_to(usize position);
    void replace_line(ktl::string_view text);
    void redraw_tail(usize erased);
    void complete();
    void history_step(int direction);
    Event finish();
    void handle_csi(char final_byte);
    // feed()'s steps: a byte inside an escape sequence, or inside a CSI one
    // (true: consumed); a byte that is not one of the keys feed() handles.
    bool feed_escape(char byte);
    bool feed_csi(char byte);
    Event feed_control(char byte);

    Terminal& terminal_;
    ktl::string_view prompt_;
    Completer completer_;
    char buffer_[kCapacity]{};
    usize length_ = 0;
    usize cursor_ = 0;
    Escape escape_ = Escape::None;
    char csi_param_ = 0;  // the digit of ESC [ n ~, 0 if none
    usize csi_bytes_ = 0;
    bool last_was_cr_ = false;

    char history_[kHistory][kCapacity]{};
    usize history_length_[kHistory]{};
    usize history_count_ = 0;  // entries kept, newest last
    usize browsing_ = 0;       // 0: the new line; n: the n-th newest entry
    char draft_[kCapacity]{};  // the new line while browsing
    usize draft_length_ = 0;

    char done_[kCapacity]{};
    usize done_length_ = 0;
};

}  // namespace kernel::shell
