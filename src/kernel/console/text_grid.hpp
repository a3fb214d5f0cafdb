// The console's text state, independent of how it is displayed: a grid of
// character cells in RAM, a cursor, the current colours and per-row dirty
// flags so a backend copies or renders only rows that changed.
//
// The grid scrolls in RAM and its dirty flags move up with the rows: after
// a scroll only the new bottom row (and rows written since the last draw)
// are dirty. So every backend asks take_scrolled() first: one that moves
// what it shows by that many rows (VGA's start address, the framebuffer's
// shadow) then draws the dirty rows; one that does not calls
// mark_all_dirty(). A backend that keeps a copy of what is on screen then
// rewrites only the cells that actually differ.
//
// With a Scrollback attached, rows scrolled off the top (and the rows a
// clear() wipes) go into it, and the *view* can be moved back through them:
// backends draw visible_row(), which is the grid itself while the view is at
// the bottom. Any write (new output, or the echo of a typed key) returns the
// view to the bottom first, as the Linux console does: what is printed is
// never drawn off screen.
#pragma once

#include "kernel/console/cell.hpp"
#include "kernel/console/console.hpp"
#include "kernel/console/scrollback.hpp"
#include "lib/ktl/span.hpp"
#include "lib/ktl/string_view.hpp"
#include "lib/ktl/types.hpp"

namespace kernel::console {

// The code page 437 byte for a Unicode code point: printable ASCII as is,
// other code points that CP437 can draw to their byte, and '?' for the rest.
u8 to_cp437(u32 code_point);

// Replays `shown`, text that a blank grid of `screen_rows` rows of
// history.columns() showed, into `history`: the rows it scrolled off the
// top, oldest first, as a ring attached from the start would hold them. For
// a ring made after its console started (rings come from the heap, which
// comes later). False, and nothing kept, when the scratch grid it replays
// through cannot be allocated.
[[nodiscard]] bool replay_scrolled_rows(Scrollback& history, u32 screen_rows,
                                        ktl::string_view shown);

class TextGrid {
public:
    static constexpr u32 kMaxRows = 128;  // capacity of the dirty-row bitmap
    static constexpr u8 kDefaultAttribute = make_attribute(Color::LightGray, Color::Black);

    // The grid uses storage for columns x rows cells; rows is reduced to
    // fit kMaxRows and storage. An empty grid (no columns or rows) ignores
    // everything. Starts blank, cursor at 0,0, every row dirty.
    TextGrid(ktl::span<Cell> storage, u32 columns, u32 rows);

    TextGrid(const TextGrid&) = delete;
    TextGrid& operator=(const TextGrid&) = delete;
    ~TextGrid() = default;

    [[nodiscard]] u32 columns() const { return columns_; }
    [[nodiscard]] u32 rows() const { return rows_; }
    [[nodiscard]] u32 cursor_column() const { return column_; }
    [[nodiscard]] u32 cursor_row() const { return row_; }
    [[nodiscard]] u8 attribute() const { return attr_; }

    // UTF-8 text. '\n' starts a new line at column 0; '\r' returns to column
    // 0; '\t' moves to the next multiple of 8; '\b' moves back one column
    // without erasing and stops at column 0; '\a' rings the visual bell
    // (below). Other control characters (C0, DEL, C1) are dropped; malformed
    // UTF-8 shows as '?', as do code points CP437 lacks. A sequence split
    // across calls is decoded as one. Any write first ends a bell showing.
    void write(ktl::string_view utf8);

    // The visual bell: a screen cannot beep, so '\a' shows the cursor's row
    // in inverted colours (foreground and background swapped, never blinking)
    // until end_bell(), the next write, a clear or a view move restores the
    // row's own colours, exactly. The console's owner calls end_bell() a
    // moment later (about 100 ms: init/boot_console.cpp). Returns whether a
    // bell was showing (the row is then dirty).
    bool end_bell();
    [[nodiscard]] bool bell_showing() const { return bell_showing_; }
    // Bells rung so far (a statistic for the tests).
    [[nodiscard]] u64 bells() const { return bells_; }
    // Draw one CP437 byte as a character, including 0x00-0x1F (the PC's
    // graphics characters), at the cursor and advance.
    void put(u8 cp437);

    void set_colors(Color fg, Color bg) { attr_ = make_attribute(fg, bg); }
    // Blank every cell with the current colours; cursor to 0,0. The rows
    // down to the cursor's go into the scrollback first, so what `clear`
    // wiped can still be paged back to.
    void clear();

    [[nodiscard]] Cell at(u32 column, u32 row) const { return cells_[row * columns_ + column]; }
    [[nodiscard]] ktl::span<const Cell> row(u32 row) const {
        return {cells_.data() + static_cast<usize>(row) * columns_, columns_};
    }

    // The history the grid scrolls into (its columns must be the grid's,
    // else it is refused: false). nullptr detaches. The view returns to the
    // bottom.
    bool attach_scrollback(Scrollback* history);
    [[nodiscard]] Scrollback* scrollback() const { return history_; }

    // How many rows the view is moved back from the bottom (0: the live
    // grid). Moves are clamped to the history kept; each marks every row
    // dirty when it changes the view.
    [[nodiscard]] u32 view_offset() const { return view_offset_; }
    void view_back(u32 rows);
    void view_forward(u32 rows);
    void view_to_bottom() { view_forward(view_offset_); }
    // Shift+PgUp/PgDn: one screen less one row, so a row of the previous
    // page stays in sight as context.
    [[nodiscard]] u32 page_rows() const { return rows_ > 1 ? rows_ - 1 : rows_; }
    // A Console's move_view(): pages of page_rows(), or the bottom.
    void move_view(ViewMove move);
    // Row `row` of the screen as the view shows it (from the history while
    // the view is moved back, else the grid's own row).
    [[nodiscard]] ktl::span<const Cell> visible_row(u32 row) const;
    // Rows the shown text moved up since the last call (scrolls of the live
    // grid), or kNotAScroll when it changed otherwise (a view move, a
    // clear; every row is dirty then). The dirty flags assume the backend
    // moves its display by the count: one that does not, or cannot, calls
    // mark_all_dirty() when the count is not 0. Resets the count.
    static constexpr u32 kNotAScroll = ~u32{0};
    [[nodiscard]] u32 take_scrolled() {
        const u32 rows = scrolled_;
        scrolled_ = 0;
        return rows;
    }
    // The cursor belongs to the live grid: hidden while the view is back.
    [[nodiscard]] bool cursor_in_view() const { return view_offset_ == 0; }

    [[nodiscard]] bool row_dirty(u32 row) const {
        return ((dirty_[row / 64] >> (row % 64)) & 1) != 0;
    }
    [[nodiscard]] bool any_dirty() const;
    void mark_all_dirty();
    // Calls fn(row) for each dirty row, top to bottom, clearing its flag.
    template <typename F>
    void for_each_dirty_row(F&& fn) {
        for (u32 r = 0; r < rows_; ++r) {
            if (!row_dirty(r)) continue;
            dirty_[r / 64] &= ~(u64{1} << (r % 64));
            fn(r);
        }
    }

private:
    [[nodiscard]] usize put_ascii_run(ktl::string_view text, usize i);
    void decode(u8 byte);
    void control_or_put(u32 code_point);
    void newline();
    void scroll_up();
    void follow_output();
    void mark_dirty(u32 row) { dirty_[row / 64] |= u64{1} << (row % 64); }
    void ring_bell();

    // Room for the colours of the row a bell inverted: the widest grid a
    // console makes is 240 columns (framebuffer_console.hpp); a wider one
    // inverts its first kBellColumns cells.
    static constexpr u32 kBellColumns = 256;

    ktl::span<Cell> cells_;
    u32 columns_;
    u32 rows_;
    u32 column_ = 0;
    u32 row_ = 0;
    // Set after a character lands in the last column: the cursor stays
    // there and the line wraps only when another character arrives, so a
    // line of exactly `columns` characters followed by '\n' leaves no
    // blank line (as the Linux console and VT100 do).
    bool wrap_pending_ = false;
    u8 attr_ = kDefaultAttribute;
    u64 dirty_[kMaxRows / 64] = {};
    Scrollback* history_ = nullptr;
    u32 scrolled_ = 0;
    u32 view_offset_ = 0;
    // UTF-8 decoder state kept across write() calls.
    u32 utf8_code_point_ = 0;
    u32 utf8_minimum_ = 0;  // smallest code point the sequence may encode (rejects overlongs)
    u8 utf8_remaining_ = 0;
    bool bell_showing_ = false;
    u32 bell_row_ = 0;
    u64 bells_ = 0;
    u8 bell_saved_[kBellColumns] = {};
};

}  // namespace kernel::console
