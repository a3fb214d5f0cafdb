// What VGA text memory holds and where the CRT controller shows it, kept in
// RAM so the console writes VGA memory as little as possible. Hardware-
// independent: the caller programs the CRTC from start() and cursor().
//
// The colour text window (0xB8000-0xBFFFF) is 32 KiB: 16384 cells, 204 rows
// of 80 columns, of which the screen shows 25 from the CRTC's start address
// on. A scroll of the grid moves the start address down by the rows scrolled
// and writes only the rows that appear at the bottom; when the next screen
// would run past the window's last whole row, the screen is written once at
// the window's top and the start address goes back to 0 (so a screen never
// straddles the end of the window, and readers need no wrap-around).
#pragma once

#include "kernel/console/cell.hpp"
#include "kernel/console/text_grid.hpp"
#include "lib/ktl/types.hpp"

namespace drivers::vga {

inline constexpr u32 kColumns = 80;
inline constexpr u32 kRows = 25;
inline constexpr u32 kWindowCells = 32 * 1024 / 2;
inline constexpr u32 kWindowRows = kWindowCells / kColumns;  // 204
// The lowest row a screen may start at and still end inside the window.
inline constexpr u32 kLastTopRow = kWindowRows - kRows;

class TextWindow {
public:
    // memory: the whole 32 KiB window (kWindowCells cells), 8-byte aligned
    // (whole rows are written 8 bytes at a time). Nothing is
    // written until draw(); what the memory holds is unknown until then, so
    // the first draw writes every cell of the screen.
    explicit TextWindow(volatile u16* memory) : memory_(memory) {}

    TextWindow(const TextWindow&) = delete;
    TextWindow& operator=(const TextWindow&) = delete;
    ~TextWindow() = default;

    // The same memory at another virtual address.
    void relocate(volatile u16* memory) { memory_ = memory; }

    // Brings the window up to date with the grid's visible rows: follows the
    // grid's scrolls with the start address, then writes the cells of dirty
    // rows that differ from what memory holds. Call start() afterwards and
    // program the CRTC with it: the new rows are already in memory then, so
    // the screen never shows a row before it is written.
    void draw(kernel::console::TextGrid& grid);

    // The CRTC start address (registers 0x0C/0x0D), in cells.
    [[nodiscard]] u16 start() const { return static_cast<u16>(top_row_ * kColumns); }
    // The CRTC cursor location (0x0E/0x0F) for the grid's cursor. The
    // register counts from the start of video memory, not from the start
    // address, so it moves with the window. While the view is back in the
    // scrollback: the cell just past the screen, where no cursor is drawn.
    [[nodiscard]] u16 cursor(const kernel::console::TextGrid& grid) const;

    // Cells written to VGA memory since construction (for tests and
    // benchmarks: each one is an MMIO write).
    [[nodiscard]] u64 cells_written() const { return cells_written_; }

private:
    // False when no row kept its text on screen (the screen went back to the
    // window's top, or scrolled a whole screen): every row must be drawn.
    bool follow_scroll(u32 rows);
    void draw_row(u32 row, const kernel::console::Cell* cells);
    // The ring slot of screen row `row`: window rows map to slots modulo
    // the screen's height, so a scroll moves no copies.
    [[nodiscard]] u32 slot(u32 row) const { return (top_row_ + row) % kRows; }

    volatile u16* memory_;
    u32 top_row_ = 0;  // window row the screen starts at
    // What memory holds for each screen row, valid where known_ says so
    // (rows that scrolled in, or after a move back to the top, hold old
    // text), by ring slot (slot()).
    kernel::console::Cell shown_[kColumns * kRows] = {};
    bool known_[kRows] = {};
    u64 cells_written_ = 0;
};

}  // namespace drivers::vga
