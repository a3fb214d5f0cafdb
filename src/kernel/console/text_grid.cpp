#include "kernel/console/text_grid.hpp"

#include "lib/ktl/new.hpp"

namespace kernel::console {
namespace {

// The characters the IBM PC draws for CP437 bytes 0x01-0x1F (0x00 is blank)...
constexpr u16 kCp437Low[32] = {
    0x0020, 0x263A, 0x263B, 0x2665, 0x2666, 0x2663, 0x2660, 0x2022, 0x25D8, 0x25CB, 0x25D9,
    0x2642, 0x2640, 0x266A, 0x266B, 0x263C, 0x25BA, 0x25C4, 0x2195, 0x203C, 0x00B6, 0x00A7,
    0x25AC, 0x21A8, 0x2191, 0x2193, 0x2192, 0x2190, 0x221F, 0x2194, 0x25B2, 0x25BC,
};
constexpr u16 kCp437Del = 0x2302;  // byte 0x7F, a house
// ...and for 0x80-0xFF (Unicode's CP437 mapping, as Python's cp437 codec).
constexpr u16 kCp437High[128] = {
    0x00C7, 0x00FC, 0x00E9, 0x00E2, 0x00E4, 0x00E0, 0x00E5, 0x00E7, 0x00EA, 0x00EB, 0x00E8, 0x00EF,
    0x00EE, 0x00EC, 0x00C4, 0x00C5, 0x00C9, 0x00E6, 0x00C6, 0x00F4, 0x00F6, 0x00F2, 0x00FB, 0x00F9,
    0x00FF, 0x00D6, 0x00DC, 0x00A2, 0x00A3, 0x00A5, 0x20A7, 0x0192, 0x00E1, 0x00ED, 0x00F3, 0x00FA,
    0x00F1, 0x00D1, 0x00AA, 0x00BA, 0x00BF, 0x2310, 0x00AC, 0x00BD, 0x00BC, 0x00A1, 0x00AB, 0x00BB,
    0x2591, 0x2592, 0x2593, 0x2502, 0x2524, 0x2561, 0x2562, 0x2556, 0x2555, 0x2563, 0x2551, 0x2557,
    0x255D, 0x255C, 0x255B, 0x2510, 0x2514, 0x2534, 0x252C, 0x251C, 0x2500, 0x253C, 0x255E, 0x255F,
    0x255A, 0x2554, 0x2569, 0x2566, 0x2560, 0x2550, 0x256C, 0x2567, 0x2568, 0x2564, 0x2565, 0x2559,
    0x2558, 0x2552, 0x2553, 0x256B, 0x256A, 0x2518, 0x250C, 0x2588, 0x2584, 0x258C, 0x2590, 0x2580,
    0x03B1, 0x00DF, 0x0393, 0x03C0, 0x03A3, 0x03C3, 0x00B5, 0x03C4, 0x03A6, 0x0398, 0x03A9, 0x03B4,
    0x221E, 0x03C6, 0x03B5, 0x2229, 0x2261, 0x00B1, 0x2265, 0x2264, 0x2320, 0x2321, 0x00F7, 0x2248,
    0x00B0, 0x2219, 0x00B7, 0x221A, 0x207F, 0x00B2, 0x25A0, 0x00A0,
};

constexpr u8 kReplacement = '?';
constexpr u32 kTabStop = 8;

}  // namespace

u8 to_cp437(u32 code_point) {
    if (code_point >= 0x20 && code_point < 0x7F) return static_cast<u8>(code_point);
    if (code_point == kCp437Del) return 0x7F;
    // A linear search: a console prints few non-ASCII characters.
    for (u32 i = 0; i < 128; ++i)
        if (kCp437High[i] == code_point) return static_cast<u8>(0x80 + i);
    for (u32 i = 1; i < 32; ++i)
        if (kCp437Low[i] == code_point) return static_cast<u8>(i);
    return kReplacement;
}

TextGrid::TextGrid(ktl::span<Cell> storage, u32 columns, u32 rows)
    : cells_(storage), columns_(columns), rows_(rows) {
    if (columns_ == 0) rows_ = 0;
    if (rows_ > kMaxRows) rows_ = kMaxRows;
    if (rows_ > 0 && storage.size() / columns_ < rows_)
        rows_ = static_cast<u32>(storage.size() / columns_);
    if (rows_ == 0) columns_ = 0;
    clear();
}

namespace {
[[nodiscard]] constexpr bool printable_ascii(u8 byte) { return byte >= 0x20 && byte < 0x7F; }
}  // namespace

void TextGrid::write(ktl::string_view utf8) {
    (void)end_bell();
    follow_output();
    for (usize i = 0; i < utf8.size();) {
        const u8 byte = static_cast<u8>(utf8[i]);
        if (printable_ascii(byte) && utf8_remaining_ == 0 && !bell_showing_ && rows_ != 0) {
            i = put_ascii_run(utf8, i);
            continue;
        }
        ++i;
        decode(byte);
    }
}

// A run of printable ASCII (nearly all of any log) goes straight into the
// row, up to its end: put()'s checks were made once, at the start of the
// write (the bell is off, the view at the bottom). Returns the index after
// the run.
usize TextGrid::put_ascii_run(ktl::string_view text, usize i) {
    if (wrap_pending_) newline();
    Cell* row = cells_.data() + static_cast<usize>(row_) * columns_;
    u32 column = column_;
    for (;;) {
        row[column] = Cell{static_cast<u8>(text[i]), attr_};
        ++i;
        if (column + 1 == columns_) {
            wrap_pending_ = true;  // as put() does in the last column
            break;
        }
        ++column;
        if (i == text.size() || !printable_ascii(static_cast<u8>(text[i]))) break;
    }
    column_ = column;
    mark_dirty(row_);
    return i;
}

// One byte of UTF-8 through the decoder's state: a finished code point is
// drawn (or obeyed, for a control character), a malformed one shows '?'.
void TextGrid::decode(u8 byte) {
    if (utf8_remaining_ > 0) {
        if ((byte & 0xC0) == 0x80) {
            utf8_code_point_ = (utf8_code_point_ << 6) | (byte & 0x3F);
            if (--utf8_remaining_ > 0) return;
            const u32 cp = utf8_code_point_;
            const bool surrogate = cp >= 0xD800 && cp <= 0xDFFF;
            if (cp < utf8_minimum_ || cp > 0x10FFFF || surrogate) {
                put(kReplacement);
            } else {
                control_or_put(cp);
            }
            return;
        }
        // The sequence ended early: replace it, then take this byte afresh.
        utf8_remaining_ = 0;
        put(kReplacement);
    }
    if (byte < 0x80) {
        control_or_put(byte);
    } else if ((byte & 0xE0) == 0xC0) {
        utf8_code_point_ = byte & 0x1F;
        utf8_minimum_ = 0x80;
        utf8_remaining_ = 1;
    } else if ((byte & 0xF0) == 0xE0) {
        utf8_code_point_ = byte & 0x0F;
        utf8_minimum_ = 0x800;
        utf8_remaining_ = 2;
    } else if ((byte & 0xF8) == 0xF0) {
        utf8_code_point_ = byte & 0x07;
        utf8_minimum_ = 0x10000;
        utf8_remaining_ = 3;
    } else {
        put(kReplacement);  // a stray continuation byte, or 0xF8-0xFF
    }
}

void TextGrid::control_or_put(u32 code_point) {
    if (rows_ == 0) return;
    // Anything after a bell in the same write ends it first: the inverted
    // row then never moves (a newline's scroll) or gets new text.
    if (code_point != '\a') (void)end_bell();
    switch (code_point) {
        case '\n':
            newline();
            return;
        case '\r':
            column_ = 0;
            wrap_pending_ = false;
            return;
        case '\t':
            if (wrap_pending_) newline();
            column_ = (column_ / kTabStop + 1) * kTabStop;
            if (column_ >= columns_) {
                // Past the last stop: park in the last column; the next
                // character goes to the next line.
                column_ = columns_ - 1;
                wrap_pending_ = true;
            }
            return;
        case '\a':
            ring_bell();
            return;
        case '\b':
            // With a wrap pending the cursor is logically one past the last
            // column, so one step back is the last column itself.
            if (wrap_pending_) {
                wrap_pending_ = false;
            } else if (column_ > 0) {
                --column_;
            }
            return;
        default:
            break;
    }
    if (code_point < 0x20 || (code_point >= 0x7F && code_point < 0xA0)) return;  // C0, DEL, C1
    put(to_cp437(code_point));
}

void TextGrid::put(u8 cp437) {
    if (rows_ == 0) return;
    (void)end_bell();
    follow_output();
    if (wrap_pending_) newline();
    cells_[row_ * columns_ + column_] = Cell{cp437, attr_};
    mark_dirty(row_);
    if (column_ + 1 < columns_) {
        ++column_;
    } else {
        wrap_pending_ = true;
    }
}

void TextGrid::newline() {
    column_ = 0;
    wrap_pending_ = false;
    if (row_ + 1 < rows_) {
        ++row_;
    } else {
        scroll_up();
    }
}

void TextGrid::scroll_up() {
    const usize row_cells = columns_;
    if (history_ != nullptr) history_->push(row(0), Cell{' ', attr_});
    __builtin_memmove(cells_.data(), cells_.data() + row_cells,
                      (rows_ - 1) * row_cells * sizeof(Cell));
    Cell* last = cells_.data() + (rows_ - 1) * row_cells;
    for (usize i = 0; i < row_cells; ++i) last[i] = Cell{' ', attr_};
    if (scrolled_ == kNotAScroll) {
        mark_all_dirty();  // the backend redraws every row anyway
        return;
    }
    ++scrolled_;
    // The flags move up with their rows: a row that only moved stays clean
    // for a backend that moves its copy by take_scrolled() (under TCG,
    // comparing all 25 rows after each scroll of the boot log cost more
    // instructions than anything else the console did). The new bottom row
    // is dirty.
    for (u32 w = 0; w < kMaxRows / 64; ++w) {
        const u64 next = w + 1 < kMaxRows / 64 ? dirty_[w + 1] : 0;
        dirty_[w] = (dirty_[w] >> 1) | (next << 63);
    }
    mark_dirty(rows_ - 1);
}

void TextGrid::clear() {
    (void)end_bell();
    follow_output();
    // The constructor's clear runs before any history can be attached.
    if (history_ != nullptr)
        for (u32 r = 0; r <= row_ && r < rows_; ++r) history_->push(row(r), Cell{' ', attr_});
    for (usize i = 0; i < usize{columns_} * rows_; ++i) cells_[i] = Cell{' ', attr_};
    column_ = 0;
    row_ = 0;
    wrap_pending_ = false;
    scrolled_ = kNotAScroll;
    mark_all_dirty();
}

bool TextGrid::attach_scrollback(Scrollback* history) {
    if (history != nullptr && history->columns() != columns_) return false;
    history_ = history;
    view_offset_ = 0;
    scrolled_ = kNotAScroll;
    mark_all_dirty();
    return true;
}

void TextGrid::ring_bell() {
    (void)end_bell();
    follow_output();
    const u32 columns = columns_ < kBellColumns ? columns_ : kBellColumns;
    Cell* row = cells_.data() + static_cast<usize>(row_) * columns_;
    for (u32 i = 0; i < columns; ++i) {
        const u8 attr = row[i].attr;
        bell_saved_[i] = attr;
        // Swapped, with the background's top bit (blink on a VGA that has
        // blinking on) left clear.
        row[i].attr = static_cast<u8>(((attr & 0x07) << 4) | (attr >> 4));
    }
    bell_row_ = row_;
    bell_showing_ = true;
    ++bells_;
    mark_dirty(row_);
}

bool TextGrid::end_bell() {
    if (!bell_showing_) return false;
    bell_showing_ = false;
    const u32 columns = columns_ < kBellColumns ? columns_ : kBellColumns;
    Cell* row = cells_.data() + static_cast<usize>(bell_row_) * columns_;
    for (u32 i = 0; i < columns; ++i) row[i].attr = bell_saved_[i];
    mark_dirty(bell_row_);
    return true;
}

void TextGrid::view_back(u32 rows) {
    (void)end_bell();
    const u32 kept = history_ != nullptr ? history_->size() : 0;
    const u32 offset = rows > kept - view_offset_ ? kept : view_offset_ + rows;
    if (offset == view_offset_) return;
    view_offset_ = offset;
    scrolled_ = kNotAScroll;
    mark_all_dirty();
}

void TextGrid::view_forward(u32 rows) {
    (void)end_bell();
    const u32 offset = rows > view_offset_ ? 0 : view_offset_ - rows;
    if (offset == view_offset_) return;
    view_offset_ = offset;
    scrolled_ = kNotAScroll;
    mark_all_dirty();
}

void TextGrid::move_view(ViewMove move) {
    switch (move) {
        case ViewMove::PageBack:
            view_back(page_rows());
            return;
        case ViewMove::PageForward:
            view_forward(page_rows());
            return;
        case ViewMove::Bottom:
            view_to_bottom();
            return;
    }
}

void TextGrid::follow_output() {
    if (view_offset_ != 0) view_to_bottom();
}

ktl::span<const Cell> TextGrid::visible_row(u32 r) const {
    if (view_offset_ == 0) return row(r);
    // Screen row r shows line (kept - offset + r) of the history followed by
    // the grid, counting the history's oldest row as line 0.
    const u32 kept = history_->size();
    const u32 line = kept - view_offset_ + r;
    return line < kept ? history_->row(line) : row(line - kept);
}

bool TextGrid::any_dirty() const {
    for (u64 word : dirty_)
        if (word != 0) return true;
    return false;
}

void TextGrid::mark_all_dirty() {
    for (u32 r = 0; r < rows_; ++r) mark_dirty(r);
}

bool replay_scrolled_rows(Scrollback& history, u32 screen_rows, ktl::string_view shown) {
    const usize count = static_cast<usize>(history.columns()) * screen_rows;
    if (count == 0 || shown.empty()) return true;
    auto* cells = new (std::nothrow) Cell[count]();
    if (cells == nullptr) return false;
    {
        // The same grid code as the console's own: the same wrapping, tabs
        // and UTF-8, so the rows scrolled off are exactly the console's.
        TextGrid scratch(ktl::span<Cell>(cells, count), history.columns(), screen_rows);
        (void)scratch.attach_scrollback(&history);  // same columns: cannot be refused
        scratch.write(shown);
    }
    delete[] cells;
    return true;
}

}  // namespace kernel::console
