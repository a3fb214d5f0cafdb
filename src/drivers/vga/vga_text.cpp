#include "drivers/vga/vga_text.hpp"

#include "arch/io.hpp"

// Why a RAM shadow: QEMU emulates the VGA window (0xA0000-0xBFFFF) as MMIO,
// so under TCG every access to it is a call into the device model instead of
// a host memory access. Scrolling by moving text inside VGA memory (reading
// and rewriting 4000 bytes) is roughly 80x slower than the same move in RAM.
// So the text lives in a TextGrid in RAM, scrolls there, and VGA memory is
// scrolled by the CRTC's start address (text_window.hpp): a scroll writes
// the new bottom row and two registers, and otherwise only cells that differ
// from the window's RAM copy of the screen are written; VGA memory is never
// read.

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
constexpr u8 kStartHigh = 0x0C;    // start address, in cells
constexpr u8 kStartLow = 0x0D;
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
    : cells_(), grid_(ktl::span<Cell>(cells_), kColumns, kRows), window_(memory) {
    // Keep the reserved high bits of the cursor shape registers.
    crtc_write(kCursorStart, static_cast<u8>((crtc_read(kCursorStart) & 0xC0) | kCursorFirstLine));
    crtc_write(kCursorEnd, static_cast<u8>((crtc_read(kCursorEnd) & 0xE0) | kCursorLastLine));
    disable_blink();
    set_start(0);  // the window's arithmetic assumes it; a loader may have left another
    clear();
}

void VgaTextConsole::write(ktl::string_view text) {
    grid_.write(text);
    flush();
}

void VgaTextConsole::end_bell() {
    if (grid_.end_bell()) flush();
}

void VgaTextConsole::set_colors(Color fg, Color bg) { grid_.set_colors(fg, bg); }

void VgaTextConsole::clear() {
    grid_.clear();
    flush();
}

void VgaTextConsole::flush() {
    window_.draw(grid_);
    set_start(window_.start());
    move_cursor(window_.cursor(grid_));
}

bool VgaTextConsole::enable_scrollback(u32 rows, ktl::string_view shown) {
    if (grid_.scrollback() != nullptr) return false;
    kernel::console::Scrollback* history = kernel::console::make_scrollback(rows, kColumns);
    if (history == nullptr) return false;
    // none: an empty start
    (void)kernel::console::replay_scrolled_rows(*history, grid_.rows(), shown);
    (void)grid_.attach_scrollback(history);  // same columns: cannot be refused
    return true;
}

void VgaTextConsole::move_view(kernel::console::ViewMove move) {
    grid_.move_view(move);
    flush();
}

void VgaTextConsole::set_start(u16 start) {
    if (start == start_) return;
    start_ = start;
    crtc_write(kStartHigh, static_cast<u8>(start >> 8));
    crtc_write(kStartLow, static_cast<u8>(start & 0xFF));
}

void VgaTextConsole::move_cursor(u16 position) {
    // arch::Port writes trap to the hypervisor: skip them when nothing moved.
    if (position == cursor_position_) return;
    cursor_position_ = position;
    crtc_write(kCursorLocHigh, static_cast<u8>(position >> 8));
    crtc_write(kCursorLocLow, static_cast<u8>(position & 0xFF));
}

}  // namespace drivers
