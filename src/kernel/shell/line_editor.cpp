#include "kernel/shell/line_editor.hpp"

namespace kernel::shell {

namespace {

constexpr char ctrl(char letter) { return static_cast<char>(letter & 0x1F); }
constexpr char kEsc = 0x1B;
constexpr char kBackspace = 0x08;
constexpr char kDelete = 0x7F;
// An escape sequence longer than this is broken: dropped, not interpreted.
constexpr usize kMaxCsiBytes = 8;

// Moves the terminal cursor left by `count` columns.
void cursor_left(Terminal& t, usize count) {
    for (usize i = 0; i < count; ++i) t.write("\b");
}

bool is_space(char c) { return c == ' '; }

}  // namespace

void LineEditor::start() {
    terminal_.set_style(log::Style::Prompt);
    terminal_.write(prompt_);
    terminal_.set_style(log::Style::Input);
    terminal_.write({buffer_, length_});
    cursor_left(terminal_, length_ - cursor_);
}

// Rewrites from the cursor to the end, blanks `erased` columns the line no
// longer covers, and puts the cursor back.
void LineEditor::redraw_tail(usize erased) {
    terminal_.write({buffer_ + cursor_, length_ - cursor_});
    for (usize i = 0; i < erased; ++i) terminal_.write(" ");
    cursor_left(terminal_, length_ - cursor_ + erased);
}

usize LineEditor::limit() const {
    // The prompt, the line, and a column for the cursor after its end.
    const usize columns = terminal_.columns();
    const usize room = columns > prompt_.size() + 1 ? columns - prompt_.size() - 1 : 1;
    return room < kCapacity ? room : kCapacity;
}

void LineEditor::insert(char c) {
    if (length_ >= limit()) {
        terminal_.bell();  // refused; the line stays as it is
        return;
    }
    for (usize i = length_; i > cursor_; --i) buffer_[i] = buffer_[i - 1];
    buffer_[cursor_] = c;
    ++length_;
    terminal_.write({&c, 1});
    ++cursor_;
    redraw_tail(0);
}

void LineEditor::erase_before(usize count) {
    if (count > cursor_) count = cursor_;
    if (count == 0) return;
    for (usize i = cursor_; i < length_; ++i) buffer_[i - count] = buffer_[i];
    length_ -= count;
    cursor_left(terminal_, count);
    cursor_ -= count;
    redraw_tail(count);
}

void LineEditor::erase_after(usize count) {
    if (count > length_ - cursor_) count = length_ - cursor_;
    if (count == 0) return;
    for (usize i = cursor_ + count; i < length_; ++i) buffer_[i - count] = buffer_[i];
    length_ -= count;
    redraw_tail(count);
}

void LineEditor::move_to(usize position) {
    if (position > length_) position = length_;
    if (position < cursor_) cursor_left(terminal_, cursor_ - position);
    if (position > cursor_) terminal_.write({buffer_ + cursor_, position - cursor_});
    cursor_ = position;
}

void LineEditor::replace_line(ktl::string_view text) {
    move_to(0);
    const usize old_length = length_;
    length_ = text.size() < limit() ? text.size() : limit();
    for (usize i = 0; i < length_; ++i) buffer_[i] = text[i];
    redraw_tail(old_length > length_ ? old_length - length_ : 0);
    move_to(length_);
}

void LineEditor::history_step(int direction) {
    if (direction > 0 && browsing_ == history_count_) {
        terminal_.bell();  // nothing older
        return;
    }
    if (direction < 0 && browsing_ == 0) {
        terminal_.bell();  // already on the new line
        return;
    }
    if (browsing_ == 0) {  // leaving the new line: keep it for the way back
        for (usize i = 0; i < length_; ++i) draft_[i] = buffer_[i];
        draft_length_ = length_;
    }
    browsing_ = direction > 0 ? browsing_ + 1 : browsing_ - 1;
    if (browsing_ == 0) {
        replace_line({draft_, draft_length_});
        return;
    }
    const usize entry = history_count_ - browsing_;
    replace_line({history_[entry], history_length_[entry]});
}

void LineEditor::complete() {
    if (completer_ == nullptr) {
        terminal_.bell();
        return;
    }
    usize word_start = cursor_;
    while (word_start > 0 && !is_space(buffer_[word_start - 1])) --word_start;
    const ktl::string_view before{buffer_, word_start};
    const ktl::string_view word{buffer_ + word_start, cursor_ - word_start};
    constexpr usize kMaxCandidates = 32;
    ktl::string_view candidates[kMaxCandidates];
    const usize found = completer_(before, word, {candidates, kMaxCandidates});
    if (found == 0) {
        terminal_.bell();
        return;
    }
    // The longest prefix every candidate shares.
    usize common = candidates[0].size();
    for (usize i = 1; i < found; ++i) {
        usize n = 0;
        while (n < common && n < candidates[i].size() && candidates[i][n] == candidates[0][n]) ++n;
        common = n;
    }
    for (usize i = word.size(); i < common; ++i) insert(candidates[0][i]);
    if (found == 1) {
        if (cursor_ == length_) insert(' ');
        return;
    }
    if (common > word.size()) return;
    // Ambiguous and nothing more to add: list the choices, redraw the line.
    terminal_.set_style(log::Style::Normal);
    terminal_.write("\r\n");
    for (usize i = 0; i < found; ++i) {
        terminal_.write(candidates[i]);
        terminal_.write(i + 1 == found ? "\r\n" : "  ");
    }
    start();
}

LineEditor::Event LineEditor::finish() {
    for (usize i = 0; i < length_; ++i) done_[i] = buffer_[i];
    done_length_ = length_;
    // Kept in the history unless empty or the same as the newest entry.
    const ktl::string_view line{buffer_, length_};
    const bool repeat =
        history_count_ != 0 &&
        ktl::string_view(history_[history_count_ - 1], history_length_[history_count_ - 1]) == line;
    if (length_ != 0 && !repeat) {
        if (history_count_ == kHistory) {
            for (usize e = 1; e < kHistory; ++e) {
                for (usize i = 0; i < history_length_[e]; ++i) history_[e - 1][i] = history_[e][i];
                history_length_[e - 1] = history_length_[e];
            }
            --history_count_;
        }
        for (usize i = 0; i < length_; ++i) history_[history_count_][i] = buffer_[i];
        history_length_[history_count_++] = length_;
    }
    terminal_.set_style(log::Style::Normal);
    terminal_.write("\r\n");
    length_ = cursor_ = 0;
    browsing_ = 0;
    return Event::Line;
}

void LineEditor::handle_csi(char final_byte) {
    switch (final_byte) {
        case 'A':
            history_step(+1);
            break;
        case 'B':
            history_step(-1);
            break;
        case 'C':
            move_to(cursor_ + 1);
            break;
        case 'D':
            if (cursor_ > 0) move_to(cursor_ - 1);
            break;
        case 'H':
            move_to(0);
            break;
        case 'F':
            move_to(length_);
            break;
        case '~':
            if (csi_param_ == '1' || csi_param_ == '7') move_to(0);        // Home
            if (csi_param_ == '4' || csi_param_ == '8') move_to(length_);  // End
            if (csi_param_ == '3') erase_after(1);                         // Delete
            break;
        default:
            break;  // a key the editor has no use for
    }
}

bool LineEditor::feed_csi(char byte) {
    // Parameter and intermediate bytes 0x20-0x3F, then one final
    // byte 0x40-0x7E. A sequence too long to be a key is swallowed
    // to its end, never typed as text.
    if (byte >= 0x20 && byte <= 0x3F) {
        if (++csi_bytes_ > kMaxCsiBytes) escape_ = Escape::Discard;
        csi_param_ = csi_bytes_ == 1 ? byte : '\0';  // only "n~" forms are used
        return true;
    }
    if (byte >= 0x40 && byte <= 0x7E) {
        // Letters with parameters are modified keys (Ctrl-Left is
        // ESC [ 1 ; 5 D): not the plain key, so not acted upon.
        const bool modified = byte != '~' && csi_bytes_ != 0;
        if (escape_ == Escape::Csi && !modified) handle_csi(byte);
        escape_ = Escape::None;
        return true;
    }
    escape_ = Escape::None;  // not part of a sequence: a key of its own
    return false;
}

bool LineEditor::feed_escape(char byte) {
    // An ESC inside a sequence abandons it and starts the next one (a
    // terminal that sent half a sequence must not make the rest typed text).
    if (escape_ != Escape::None && byte == kEsc) {
        escape_ = Escape::Esc;
        return true;
    }
    switch (escape_) {
        case Escape::Esc:
            escape_ = byte == '[' ? Escape::Csi : byte == 'O' ? Escape::Ss3 : Escape::None;
            csi_param_ = 0;
            csi_bytes_ = 0;
            return true;
        case Escape::Ss3:
            escape_ = Escape::None;
            if (byte == 'H' || byte == 'F' || (byte >= 'A' && byte <= 'D')) handle_csi(byte);
            return true;
        case Escape::Csi:
        case Escape::Discard:
            return feed_csi(byte);
        case Escape::None:
            return false;
    }
    return false;
}

LineEditor::Event LineEditor::feed_control(char byte) {
    if (byte == ctrl('A')) {
        move_to(0);
    } else if (byte == ctrl('E')) {
        move_to(length_);
    } else if (byte == ctrl('U')) {
        erase_before(cursor_);
    } else if (byte == ctrl('K')) {
        erase_after(length_ - cursor_);
    } else if (byte == ctrl('W')) {
        usize start = cursor_;
        while (start > 0 && is_space(buffer_[start - 1])) --start;
        while (start > 0 && !is_space(buffer_[start - 1])) --start;
        erase_before(cursor_ - start);
    } else if (byte == ctrl('C')) {
        terminal_.set_style(log::Style::Normal);
        terminal_.write("^C\r\n");
        length_ = cursor_ = 0;
        browsing_ = 0;
        return Event::Cancelled;
    } else if (byte == ctrl('L')) {
        terminal_.clear_screen();
        start();
    } else if (static_cast<unsigned char>(byte) >= 0x20 &&
               static_cast<unsigned char>(byte) < 0x7F) {
        insert(byte);
    }
    // Any other control or non-ASCII byte: ignored.
    return Event::None;
}

LineEditor::Event LineEditor::feed(char byte) {
    const bool after_cr = last_was_cr_;
    last_was_cr_ = byte == '\r';
    if (feed_escape(byte)) return Event::None;
    switch (byte) {
        case '\r':
            return finish();
        case '\n':
            if (after_cr) return Event::None;  // CR LF: one Enter
            return finish();
        case kEsc:
            escape_ = Escape::Esc;
            return Event::None;
        case kBackspace:
        case kDelete:
            erase_before(1);
            return Event::None;
        case '\t':
            complete();
            return Event::None;
        default:
            return feed_control(byte);
    }
}

}  // namespace kernel::shell
