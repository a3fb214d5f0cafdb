// The console on a linear framebuffer (from the bootloader: VBE/GOP), drawn
// with a bitmap font. Hardware-independent, so the host tests render into a
// RAM buffer.
//
// It never reads the framebuffer: on a PC that memory is write-combining or
// uncached, where every read is a slow bus read (docs/console.md, "Never
// reading the framebuffer"). With a shadow attached (pixels of the grid in
// RAM) glyphs are drawn and scrolls moved there, and a present copies the
// changed spans out; without one a scroll redraws the cells that changed.
#pragma once

#include "kernel/console/console.hpp"
#include "kernel/console/font.hpp"
#include "kernel/console/frame_pacer.hpp"
#include "kernel/console/text_grid.hpp"
#include "lib/ktl/span.hpp"
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
    // Immediate, like move_view().
    void end_bell() override;
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
    [[nodiscard]] u32 columns() const override { return grid_.columns(); }
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
    // Scrolls done by moving the shadow's pixels so far: one per present
    // that follows any number of scrolled lines (fewer than a screenful).
    // Without a shadow a scroll redraws the cells that changed instead.
    [[nodiscard]] u64 pixel_moves() const { return pixel_moves_; }

    // The shadow: the grid's pixels (columns x glyph width by rows x glyph
    // height, at the framebuffer's bytes per pixel, rows packed with no
    // padding) in caller-provided RAM; the margins right of and below the
    // grid are not shadowed (only clear() paints them). 0 when unusable.
    [[nodiscard]] usize shadow_bytes() const;
    // Draws into `memory` from now on: renders the grid into it and copies
    // it out. False (and nothing changes) when the console is unusable,
    // already has a shadow, or `memory` is smaller than shadow_bytes().
    [[nodiscard]] bool attach_shadow(ktl::span<u8> memory);
    // Presents what waits, then draws straight into the framebuffer again;
    // returns the memory (empty when there was no shadow).
    ktl::span<u8> detach_shadow();
    [[nodiscard]] bool has_shadow() const { return shadow_ != nullptr; }
    // Bytes copied from the shadow to the framebuffer so far (a statistic:
    // what a present costs; the tests check it copies only what changed).
    [[nodiscard]] u64 bytes_copied_out() const { return bytes_copied_out_; }
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
    void fill_lines(u8* line, usize pitch, u32 lines, u32 pixels, u32 value) const;
    // Bytes of one grid-wide scanline (the shadow's pitch).
    [[nodiscard]] usize grid_line_bytes() const {
        return static_cast<usize>(grid_.columns()) * font_.glyph_width * bytes_per_pixel_;
    }
    void mark_copy(u32 row, u32 from_column, u32 to_column);
    void mark_copy_all();
    void copy_out();
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
    // The shadow (null: none), and per text row the columns [from, to) it
    // holds that the framebuffer does not yet show (from >= to: none).
    u8* shadow_ = nullptr;
    usize shadow_size_ = 0;
    u16 copy_from_[kMaxRows]{};
    u16 copy_to_[kMaxRows]{};
    u64 bytes_copied_out_ = 0;
};

}  // namespace kernel::console
