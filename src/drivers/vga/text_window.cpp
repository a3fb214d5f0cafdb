#include "drivers/vga/text_window.hpp"

namespace drivers::vga {

using kernel::console::Cell;
using kernel::console::TextGrid;

void TextWindow::draw(TextGrid& grid) {
    const u32 scrolled = grid.take_scrolled();
    if (scrolled != TextGrid::kNotAScroll && scrolled != 0 && !follow_scroll(scrolled))
        grid.mark_all_dirty();  // no row kept its place on the screen
    grid.for_each_dirty_row(
        [this, &grid](u32 row) { draw_row(row, grid.visible_row(row).data()); });
}

bool TextWindow::follow_scroll(u32 rows) {
    if (rows > kLastTopRow - top_row_) {
        // No room below: the screen is written afresh at the top. Those rows
        // are off screen until the start address moves, so nothing flickers.
        top_row_ = 0;
        for (bool& known : known_) known = false;
        return false;
    }
    top_row_ += rows;
    // The rows that stay keep their copies, whose slots move with the
    // start row (slot()); the rows that came in at the bottom hold old text.
    const u32 kept = rows < kRows ? kRows - rows : 0;
    for (u32 r = kept; r < kRows; ++r) known_[slot(r)] = false;
    return kept != 0;
}

namespace {
// A text-mode cell is a little-endian u16: character, then attribute.
constexpr u16 vga_cell(Cell cell) { return static_cast<u16>(cell.ch | (cell.attr << 8)); }
}  // namespace

void TextWindow::draw_row(u32 row, const Cell* cells) {
    const u32 at = slot(row);
    Cell* shown = shown_ + usize{at} * kColumns;
    volatile u16* memory = memory_ + usize{top_row_ + row} * kColumns;
    if (!known_[at]) {
        // A whole row, four cells a store: each store to VGA memory is a
        // trip into the device model under emulation, whatever its width.
        // A row is 160 bytes, so rows stay 8-byte aligned.
        static_assert(kColumns % 4 == 0);
        auto* quads = reinterpret_cast<volatile u64*>(memory);
        for (u32 q = 0; q < kColumns / 4; ++q) {
            const Cell* four = cells + usize{q} * 4;
            quads[q] = u64{vga_cell(four[0])} | u64{vga_cell(four[1])} << 16 |
                       u64{vga_cell(four[2])} << 32 | u64{vga_cell(four[3])} << 48;
        }
        for (u32 c = 0; c < kColumns; ++c) shown[c] = cells[c];
        cells_written_ += kColumns;
        known_[at] = true;
        return;
    }
    for (u32 c = 0; c < kColumns; ++c) {
        if (cells[c] == shown[c]) continue;
        shown[c] = cells[c];
        memory[c] = vga_cell(cells[c]);
        ++cells_written_;
    }
}

u16 TextWindow::cursor(const TextGrid& grid) const {
    const u32 in_screen = grid.cursor_in_view()
                              ? grid.cursor_row() * kColumns + grid.cursor_column()
                              : kColumns * kRows;
    return static_cast<u16>(start() + in_screen);
}

}  // namespace drivers::vga
