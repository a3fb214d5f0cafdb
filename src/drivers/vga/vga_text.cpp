#include "drivers/vga/vga_text.hpp"

#include "arch/io.hpp"

// Why a RAM shadow: QEMU emulates the VGA window (0xA0000-0xBFFFF) as MMIO,
// so under TCG every access to it is a call into the device model instead of
// a host memory access. Scrolling by moving text inside VGA memory (reading
// and rewriting 4000 bytes) is roughly 80x slower than the same move in RAM.
// So the text lives in a TextGrid in RAM, scrolls there, and only cells that
// differ from a second RAM copy of the screen are written to VGA memory;
// VGA memory is never read.

namespace drivers {
namespace {

using kernel::console::Cell;
using kernel::console::Color;

// CRT controller, colour I/O address range (Miscellaneous Output bit 0 = 1,
// as the BIOS sets it for mode 3): index port, then data port.
constexpr arch::Port kCrtcIndex{0x3D4};
constexpr arch::Port kCrtcData{0x3D5};
constexpr u8 kCursorStart = 0x0A;  // bits 0-4 first scanline, bit 5 disables
constexpr u8 kCursorEnd = 0x0B;    // bits 0-4 last scanline
constexpr u8 kCursorLocHigh = 0x0E;
constexpr u8 kCursorLocLow = 0x0F;
// Mode 3 draws 16-scanline characters (720x400): underline on 14 and 15.
constexpr u8 kCursorFirstLine = 14;
constexpr u8 kCursorLastLine = 15;

// Attribute controller: one port for index and data, selected by a
// flip-flop that reading Input Status 1 resets to "index".
constexpr arch::Port kInputStatus1{0x3DA};
constexpr arch::Port kAttrIndexData{0x3C0};
constexpr arch::Port kAttrDataRead{0x3C1};
constexpr u8 kAttrModeControl = 0x10;
constexpr u8 kAttrPaletteAddressSource = 0x20;  // keep set, or the screen blanks
constexpr u8 kAttrBlinkEnable = 0x08;

u8 crtc_read(u8 index) {
    arch::out8(kCrtcIndex, index);
    return arch::in8(kCrtcData);
}

void crtc_write(u8 index, u8 value) {
    arch::out8(kCrtcIndex, index);
    arch::out8(kCrtcData, value);
}

void disable_blink() {
    (void)arch::in8(kInputStatus1);
    arch::out8(kAttrIndexData, kAttrModeControl | kAttrPaletteAddressSource);
    const u8 mode = arch::in8(kAttrDataRead);
    arch::out8(kAttrIndexData, static_cast<u8>(mode & ~kAttrBlinkEnable));  // flip-flop: now data
}

}  // namespace

bool VgaTextConsole::present() {
    // The cursor location register holds whatever is written to it on every
    // VGA; without one, the ports float and read 0xFF. Two patterns, so a
    // register that happened to hold the first one already cannot fool it.
    const u8 saved = crtc_read(kCursorLocLow);
    constexpr u8 kPatterns[] = {0x5A, 0xA5};
    bool holds = true;
    for (const u8 pattern : kPatterns) {
        crtc_write(kCursorLocLow, pattern);
        holds = holds && crtc_read(kCursorLocLow) == pattern;
    }
    crtc_write(kCursorLocLow, saved);
    return holds;
}

VgaTextConsole::VgaTextConsole(volatile u16* memory)
    : memory_(memory), cells_(), shown_(), grid_(ktl::span<Cell>(cells_), kColumns, kRows) {
    // Keep the reserved high bits of the cursor shape registers.
    crtc_write(kCursorStart, static_cast<u8>((crtc_read(kCursorStart) & 0xC0) | kCursorFirstLine));
    crtc_write(kCursorEnd, static_cast<u8>((crtc_read(kCursorEnd) & 0xE0) | kCursorLastLine));
    disable_blink();
    clear();
}

void VgaTextConsole::write(ktl::string_view text) {
    grid_.write(text);
    flush();
}

void VgaTextConsole::set_colors(Color fg, Color bg) { grid_.set_colors(fg, bg); }

void VgaTextConsole::clear() {
    grid_.clear();
    flush();
}

void VgaTextConsole::flush() {
    grid_.for_each_dirty_row([this](u32 row) {
        const ktl::span<const Cell> cells = grid_.visible_row(row);
        for (u32 column = 0; column < kColumns; ++column) {
            const u32 i = row * kColumns + column;
            const Cell cell = cells[column];
            if (cell == shown_[i] && !redraw_all_) continue;
            shown_[i] = cell;
            // A text-mode cell is a little-endian u16: character, then attribute.
            memory_[i] = static_cast<u16>(cell.ch | (cell.attr << 8));
        }
    });
    redraw_all_ = false;
    // While the view is back in the scrollback, the cursor goes past the
    // last cell, where the CRTC draws none.
    move_cursor(grid_.cursor_in_view()
                    ? static_cast<u16>(grid_.cursor_row() * kColumns + grid_.cursor_column())
                    : static_cast<u16>(kColumns * kRows));
}

bool VgaTextConsole::enable_scrollback(u32 rows) {
    if (grid_.scrollback() != nullptr) return false;
    kernel::console::Scrollback* history = kernel::console::make_scrollback(rows, kColumns);
    if (history == nullptr) return false;
    (void)grid_.attach_scrollback(history);  // same columns: cannot be refused
    return true;
}

void VgaTextConsole::move_view(kernel::console::ViewMove move) {
    grid_.move_view(move);
    flush();
}

void VgaTextConsole::move_cursor(u16 position) {
    // arch::Port writes trap to the hypervisor: skip them when nothing moved.
    if (position == cursor_position_) return;
    cursor_position_ = position;
    crtc_write(kCursorLocHigh, static_cast<u8>(position >> 8));
    crtc_write(kCursorLocLow, static_cast<u8>(position & 0xFF));
}

}  // namespace drivers
