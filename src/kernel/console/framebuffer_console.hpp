// The console on a linear framebuffer (from the bootloader: VBE/GOP), drawn
// with a bitmap font. Hardware-independent, so the host tests render into a
// RAM buffer.
#pragma once

#include "kernel/console/console.hpp"
#include "kernel/console/font.hpp"
#include "kernel/console/frame_pacer.hpp"
#include "kernel/console/text_grid.hpp"
#include "lib/ktl/types.hpp"

namespace kernel::console {

struct FramebufferInfo {
    u8* address;  // virtual address of pixel (0,0)
    u32 pitch;    // bytes from one scanline to the next
    u32 width;    // pixels
    u32 height;   // pixels
    u8 bpp;       // bits per pixel: 32, 24 or 16 (15 is stored in 16)
    // Each colour field of a pixel value: lowest bit and width in bits.
    u8 red_pos, red_size;
    u8 green_pos, green_size;
    u8 blue_pos, blue_size;
};

class FramebufferConsole final : public Console {
public:
    // Static storage bounds the text grid: 240x100 cells is 1920x1600
    // pixels of an 8x16 font; a larger screen uses its top-left part.
    static constexpr u32 kMaxColumns = 240;
    static constexpr u32 kMaxRows = 100;

    // Takes over the framebuffer: fills it with the background colour. An
    // unusable description (null address, unsupported depth, pitch too
    // small, screen smaller than a glyph) gives a console that draws nothing.
    // The object holds two grids (~94 KiB): give it static storage.
    FramebufferConsole(const FramebufferInfo& fb, const Font& font);
    // Frees the scrollback (the kernel's console is never destroyed).
    ~FramebufferConsole();
    FramebufferConsole(const FramebufferConsole&) = delete;
    FramebufferConsole& operator=(const FramebufferConsole&) = delete;

    // Updates the text grid; the pixels follow at once only when the frame
    // pacer says so (frame_pacer.hpp), else at the next present_pending().
    void write(ktl::string_view text) override;
    void set_colors(Color fg, Color bg) override;
    // Immediate: the screen is blank when it returns.
    void clear() override;
    [[nodiscard]] ktl::string_view name() const override { return "framebuffer"; }
    bool enable_scrollback(u32 rows, ktl::string_view shown) override;
    // Immediate, like clear().
    void move_view(ViewMove move) override;
    // Draws what changed since the last present, if anything did.
    void present_pending() override;

    // Where write() reads the time for its pacing, in nanoseconds (0 while
    // no clock runs). Without one (the default) every write is presented
    // at once.
    using Clock = u64 (*)();
    void set_frame_clock(Clock clock) { clock_ = clock; }
    // Presents so far, and whether text waits for one (statistics for
    // bench=console and the tests).
    [[nodiscard]] u64 presents() const { return pacer_.presents(); }
    [[nodiscard]] bool waiting_to_present() const { return pacer_.pending(); }
    // Off: every write is presented at once, the way before batching; kept
    // for bench=console's "before" figure.
    void set_batching(bool on) { batching_ = on; }

    [[nodiscard]] bool usable() const { return grid_.columns() > 0; }
    // The same framebuffer at another virtual address (the direct map).
    void relocate(u8* address) { fb_.address = address; }
    [[nodiscard]] const TextGrid& grid() const { return grid_; }
    // An underline cursor (on by default) in the bottom two pixel rows.
    void set_cursor_visible(bool visible);
    // The pixel value a colour is stored as in this framebuffer's layout.
    [[nodiscard]] u32 pixel_value(Color color) const { return palette_[static_cast<u8>(color)]; }
    // Glyph cells drawn so far (including cursor redraws): a statistic the
    // tests use to check that only changed cells are redrawn.
    [[nodiscard]] u64 cells_rendered() const { return cells_rendered_; }
    // Scrolls done by moving pixels so far: one per present that follows
    // any number of scrolled lines (fewer than a screenful).
    [[nodiscard]] u64 pixel_moves() const { return pixel_moves_; }
    // The old way, kept for bench=console's baseline: every cell of every
    // row the grid marks dirty is drawn, whether it changed or not, and a
    // scroll redraws the whole screen instead of moving its pixels.
    void set_redraw_unchanged(bool on) { redraw_unchanged_ = on; }

private:
    static constexpr u32 kCursorHeight = 2;

    void flush();
    void draw_now();  // flush() and tell the pacer
    [[nodiscard]] u64 now() const { return clock_ != nullptr ? clock_() : 0; }
    void move_rows_up(u32 rows);
    void draw_cell(u32 column, u32 row, Cell cell, bool with_cursor);
    void store_pixel(u8* at, u32 value) const;
    Cell& shown_at(u32 column, u32 row) { return shown_[row * grid_.columns() + column]; }

    FramebufferInfo fb_;
    const Font& font_;
    u32 bytes_per_pixel_;
    u32 palette_[16]{};
    // The authoritative text, and a copy of what the framebuffer shows now:
    // a cell is redrawn only when the two differ.
    Cell cells_[kMaxColumns * kMaxRows];
    Cell shown_[kMaxColumns * kMaxRows];
    TextGrid grid_;
    bool redraw_all_ = true;  // the screen's contents are unknown
    bool redraw_unchanged_ = false;
    bool batching_ = true;
    FramePacer pacer_;
    Clock clock_ = nullptr;
    bool cursor_visible_ = true;
    bool cursor_drawn_ = false;
    u32 cursor_column_ = 0;
    u32 cursor_row_ = 0;
    u64 cells_rendered_ = 0;
    u64 pixel_moves_ = 0;
};

}  // namespace kernel::console
