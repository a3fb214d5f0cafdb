#include "kernel/console/framebuffer_console.hpp"

namespace kernel::console {
namespace {

// The 16 VGA colours as RGB888 (the standard VGA DAC palette, 6-bit levels
// 0x00/0x15/0x2A/0x3F scaled to 8 bits), in Color order.
constexpr u32 kRgb[16] = {
    0x000000, 0x0000AA, 0x00AA00, 0x00AAAA, 0xAA0000, 0xAA00AA, 0xAA5500, 0xAAAAAA,
    0x555555, 0x5555FF, 0x55FF55, 0x55FFFF, 0xFF5555, 0xFF55FF, 0xFFFF55, 0xFFFFFF,
};

constexpr u32 bytes_per_pixel(u8 bpp) { return (u32{bpp} + 7) / 8; }

// An 8-bit intensity placed in a field of `size` bits at bit `pos`, scaled
// with rounding so that 0xFF fills the field (e.g. 0xAA -> 21 of 31 in 5 bits).
constexpr u32 field(u32 c8, u8 pos, u8 size) {
    if (size == 0 || pos >= 32) return 0;
    if (size > 16) size = 16;
    const u32 max = (u32{1} << size) - 1;
    const u64 value = (c8 * max + 127) / 255;
    return static_cast<u32>(value << pos);
}

bool usable_layout(const FramebufferInfo& fb, const Font& font) {
    const u32 bpp = bytes_per_pixel(fb.bpp);
    if (fb.address == nullptr || (bpp != 2 && bpp != 3 && bpp != 4)) return false;
    if (u64{fb.pitch} < u64{fb.width} * bpp) return false;
    if (font.glyph_width == 0 || font.glyph_width > 32 || font.glyph_height == 0) return false;
    if (font.bytes_per_row * 8 < font.glyph_width || font.glyph_count == 0) return false;
    return fb.width >= font.glyph_width && fb.height >= font.glyph_height;
}

u32 grid_columns(const FramebufferInfo& fb, const Font& font) {
    if (!usable_layout(fb, font)) return 0;
    const u32 columns = fb.width / font.glyph_width;
    return columns < FramebufferConsole::kMaxColumns ? columns : FramebufferConsole::kMaxColumns;
}

u32 grid_rows(const FramebufferInfo& fb, const Font& font) {
    if (!usable_layout(fb, font)) return 0;
    const u32 rows = fb.height / font.glyph_height;
    return rows < FramebufferConsole::kMaxRows ? rows : FramebufferConsole::kMaxRows;
}

// `bytes` from RAM to the framebuffer: aligned 8-byte stores for all but
// an unaligned head and a tail, so write-combining buffers fill in whole
// lines. The framebuffer is only ever the destination.
void copy_to_framebuffer(u8* to, const u8* from, usize bytes) {
    usize i = 0;
    for (; i < bytes && (reinterpret_cast<uptr>(to + i) & 7) != 0; ++i) to[i] = from[i];
    for (; i + 8 <= bytes; i += 8) {
        u64 word = 0;
        __builtin_memcpy(&word, from + i, 8);
        __builtin_memcpy(to + i, &word, 8);
    }
    for (; i < bytes; ++i) to[i] = from[i];
}

}  // namespace

FramebufferConsole::FramebufferConsole(const FramebufferInfo& fb, const Font& font)
    : fb_(fb),
      font_(font),
      bytes_per_pixel_(bytes_per_pixel(fb.bpp)),
      cells_(),
      shown_(),
      grid_(ktl::span<Cell>(cells_), grid_columns(fb, font), grid_rows(fb, font)) {
    for (u32 i = 0; i < 16; ++i) {
        const u32 rgb = kRgb[i];
        palette_[i] = field((rgb >> 16) & 0xFF, fb.red_pos, fb.red_size) |
                      field((rgb >> 8) & 0xFF, fb.green_pos, fb.green_size) |
                      field(rgb & 0xFF, fb.blue_pos, fb.blue_size);
    }
    clear();
}

void FramebufferConsole::write(ktl::string_view text) {
    grid_.write(text);
    if (pacer_.changed(now()) || !batching_) draw_now();
}

void FramebufferConsole::present_pending() {
    if (pacer_.pending()) draw_now();
}

void FramebufferConsole::draw_now() {
    flush();
    pacer_.presented(now());
}

void FramebufferConsole::set_colors(Color fg, Color bg) { grid_.set_colors(fg, bg); }

void FramebufferConsole::clear() {
    if (!usable()) return;
    grid_.clear();
    // One pass over the whole framebuffer (margins included) beats drawing
    // every cell, and makes the on-screen copy simply "all blank". The
    // shadow gets the same pass, so the two agree without a copy.
    const u32 bg = palette_[grid_.attribute() >> 4];
    fill_lines(fb_.address, fb_.pitch, fb_.height, fb_.width, bg);
    if (shadow_ != nullptr) {
        fill_lines(shadow_, grid_line_bytes(), grid_.rows() * font_.glyph_height,
                   grid_.columns() * font_.glyph_width, bg);
        for (u32 r = 0; r < grid_.rows(); ++r) copy_from_[r] = copy_to_[r] = 0;
    }
    cursor_drawn_ = false;
    // That is only what a blank cell looks like if the font's space is empty.
    const u8* space = font_.glyph(' ');
    bool space_blank = true;
    for (usize i = 0; i < font_.glyph_bytes(); ++i) space_blank = space_blank && space[i] == 0;
    redraw_all_ = !space_blank;
    for (u32 r = 0; r < grid_.rows(); ++r)
        for (u32 c = 0; c < grid_.columns(); ++c) shown_at(c, r) = grid_.at(c, r);
    draw_now();
}

void FramebufferConsole::fill_lines(u8* line, usize pitch, u32 lines, u32 pixels, u32 value) const {
    for (u32 y = 0; y < lines; ++y, line += pitch)
        for (u32 x = 0; x < pixels; ++x)
            store_pixel(line + static_cast<usize>(x) * bytes_per_pixel_, value);
}

usize FramebufferConsole::shadow_bytes() const {
    if (!usable()) return 0;
    return grid_line_bytes() * grid_.rows() * font_.glyph_height;
}

bool FramebufferConsole::attach_shadow(ktl::span<u8> memory) {
    if (!usable() || shadow_ != nullptr || memory.size() < shadow_bytes()) return false;
    shadow_ = memory.data();
    shadow_size_ = memory.size();
    // The shadow's contents are unknown: every cell and the cursor are drawn
    // into it from the text, then it is copied out whole. The framebuffer
    // is only written, as ever.
    redraw_all_ = true;
    cursor_drawn_ = false;
    draw_now();
    return true;
}

ktl::span<u8> FramebufferConsole::detach_shadow() {
    if (shadow_ == nullptr) return {};
    present_pending();
    copy_out();  // nothing left after a flush; cheap insurance
    const ktl::span<u8> memory{shadow_, shadow_size_};
    shadow_ = nullptr;
    shadow_size_ = 0;
    return memory;
}

FramebufferConsole::~FramebufferConsole() {
    Scrollback* history = grid_.scrollback();
    grid_.attach_scrollback(nullptr);
    destroy_scrollback(history);
}

bool FramebufferConsole::enable_scrollback(u32 rows, ktl::string_view shown) {
    if (!usable() || grid_.scrollback() != nullptr) return false;
    Scrollback* history = make_scrollback(rows, grid_.columns());
    if (history == nullptr) return false;
    (void)replay_scrolled_rows(*history, grid_.rows(), shown);  // none: an empty start
    (void)grid_.attach_scrollback(history);                     // same columns: cannot be refused
    return true;
}

void FramebufferConsole::end_bell() {
    if (grid_.end_bell()) draw_now();
}

void FramebufferConsole::move_view(ViewMove move) {
    grid_.move_view(move);
    draw_now();
}

void FramebufferConsole::set_cursor_visible(bool visible) {
    cursor_visible_ = visible;
    draw_now();
}

void FramebufferConsole::flush() {
    if (!usable()) return;
    if (redraw_all_) {
        grid_.mark_all_dirty();
    }
    // Only the shadow's pixels are moved: moving the framebuffer's would
    // read it. Without a shadow the rows are compared with shown_ below and
    // the cells that differ are drawn again.
    const u32 scrolled = grid_.take_scrolled();
    if (shadow_ != nullptr && !redraw_all_ && !redraw_unchanged_ &&
        scrolled != TextGrid::kNotAScroll && scrolled > 0 && scrolled < grid_.rows())
        move_rows_up(scrolled);
    else if (scrolled != 0)
        grid_.mark_all_dirty();  // nothing moved: every row may differ
    const bool redraw = redraw_all_ || redraw_unchanged_;
    grid_.for_each_dirty_row([this, redraw](u32 row) {
        const ktl::span<const Cell> cells = grid_.visible_row(row);
        for (u32 column = 0; column < grid_.columns(); ++column) {
            const Cell cell = cells[column];
            Cell& shown = shown_at(column, row);
            if (cell == shown && !redraw) continue;
            shown = cell;
            draw_cell(column, row, cell, false);
            if (cursor_drawn_ && column == cursor_column_ && row == cursor_row_)
                cursor_drawn_ = false;  // drawing the cell erased the cursor
        }
    });
    redraw_all_ = false;

    const u32 column = grid_.cursor_column();
    const u32 row = grid_.cursor_row();
    const bool moved = column != cursor_column_ || row != cursor_row_;
    const bool visible = cursor_visible_ && grid_.cursor_in_view();
    if (cursor_drawn_ && (moved || !visible)) {
        draw_cell(cursor_column_, cursor_row_, shown_at(cursor_column_, cursor_row_), false);
        cursor_drawn_ = false;
    }
    if (visible && !cursor_drawn_) {
        draw_cell(column, row, shown_at(column, row), true);
        cursor_drawn_ = true;
        cursor_column_ = column;
        cursor_row_ = row;
    }
    if (shadow_ != nullptr) copy_out();
}

// A scroll of `rows` text rows in the shadow: the pixels of the rows that
// stay move up in RAM in one memmove (far cheaper than drawing their glyphs
// again), and the on-screen copy moves with them, so flush() then draws only
// cells that differ (the new bottom rows, mostly). The rows left at the
// bottom still hold their old text, which is what shown_ still says there.
// Every scanline of the grid changed: all of it is copied out.
void FramebufferConsole::move_rows_up(u32 rows) {
    if (cursor_drawn_) {
        // The underline would move with the pixels: take it off first.
        draw_cell(cursor_column_, cursor_row_, shown_at(cursor_column_, cursor_row_), false);
        cursor_drawn_ = false;
    }
    ++pixel_moves_;
    const u32 columns = grid_.columns();
    const u32 kept = grid_.rows() - rows;
    __builtin_memmove(shown_, shown_ + static_cast<usize>(rows) * columns,
                      static_cast<usize>(kept) * columns * sizeof(Cell));
    const usize text_row_bytes = grid_line_bytes() * font_.glyph_height;
    __builtin_memmove(shadow_, shadow_ + rows * text_row_bytes, kept * text_row_bytes);
    mark_copy_all();
}

void FramebufferConsole::mark_copy(u32 row, u32 from_column, u32 to_column) {
    if (copy_from_[row] >= copy_to_[row]) {
        copy_from_[row] = static_cast<u16>(from_column);
        copy_to_[row] = static_cast<u16>(to_column);
        return;
    }
    if (from_column < copy_from_[row]) copy_from_[row] = static_cast<u16>(from_column);
    if (to_column > copy_to_[row]) copy_to_[row] = static_cast<u16>(to_column);
}

void FramebufferConsole::mark_copy_all() {
    for (u32 r = 0; r < grid_.rows(); ++r) {
        copy_from_[r] = 0;
        copy_to_[r] = static_cast<u16>(grid_.columns());
    }
}

// The shadow's changed spans to the framebuffer: each text row's changed
// columns, scanline by scanline. Only stores reach the framebuffer.
void FramebufferConsole::copy_out() {
    const usize shadow_pitch = grid_line_bytes();
    const usize cell_bytes = static_cast<usize>(font_.glyph_width) * bytes_per_pixel_;
    for (u32 r = 0; r < grid_.rows(); ++r) {
        if (copy_from_[r] >= copy_to_[r]) continue;
        const usize offset = copy_from_[r] * cell_bytes;
        const usize bytes = (copy_to_[r] - copy_from_[r]) * cell_bytes;
        const usize top = static_cast<usize>(r) * font_.glyph_height;
        const u8* from = shadow_ + top * shadow_pitch + offset;
        u8* to = fb_.address + top * fb_.pitch + offset;
        for (u32 y = 0; y < font_.glyph_height; ++y, from += shadow_pitch, to += fb_.pitch)
            copy_to_framebuffer(to, from, bytes);
        bytes_copied_out_ += bytes * font_.glyph_height;
        copy_from_[r] = copy_to_[r] = 0;
    }
}

void FramebufferConsole::draw_cell(u32 column, u32 row, Cell cell, bool with_cursor) {
    ++cells_rendered_;
    const u32 fg = palette_[cell.attr & 0x0F];
    const u32 bg = palette_[cell.attr >> 4];
    const u32 width = font_.glyph_width;
    const u32 height = font_.glyph_height;
    const u8* bits = font_.glyph(cell.ch);
    // Into the shadow when there is one (the present copies the cell out).
    const usize pitch = shadow_ != nullptr ? grid_line_bytes() : fb_.pitch;
    u8* line = (shadow_ != nullptr ? shadow_ : fb_.address) + usize{row} * height * pitch +
               usize{column} * width * bytes_per_pixel_;
    if (shadow_ != nullptr) mark_copy(row, column, column + 1);
    // The common case (an 8-pixel-wide font on a 32-bit framebuffer) two
    // pixels per 8-byte store, from a table of the four pairs: half the
    // stores and no per-pixel branch, which is most of a present's time
    // under emulation.
    if (bytes_per_pixel_ == 4 && width == 8) {
        const u64 pairs[4] = {
            u64{bg} | (u64{bg} << 32),  // the left pixel is the lower address
            u64{bg} | (u64{fg} << 32),
            u64{fg} | (u64{bg} << 32),
            u64{fg} | (u64{fg} << 32),
        };
        for (u32 y = 0; y < height; ++y, line += pitch, bits += font_.bytes_per_row) {
            const u32 row_bits = with_cursor && y + kCursorHeight >= height ? 0xFF : bits[0];
            for (u32 x = 0; x < 8; x += 2)
                __builtin_memcpy(line + static_cast<usize>(x) * 4,
                                 &pairs[(row_bits >> (6 - x)) & 3], 8);
        }
        return;
    }
    for (u32 y = 0; y < height; ++y, line += pitch, bits += font_.bytes_per_row) {
        const bool underline = with_cursor && y + kCursorHeight >= height;
        for (u32 x = 0; x < width; ++x) {
            const bool on = underline || (bits[x / 8] & (0x80 >> (x % 8))) != 0;
            store_pixel(line + static_cast<usize>(x) * bytes_per_pixel_, on ? fg : bg);
        }
    }
}

void FramebufferConsole::store_pixel(u8* at, u32 value) const {
    // x86 is little-endian: the pixel's low byte comes first in memory. A
    // 24-bit pixel takes the low three bytes. memcpy because pixels need not
    // be aligned (a 24-bit layout, or an odd pitch).
    // Constant sizes so each copy is a single store, not a memcpy call.
    switch (bytes_per_pixel_) {
        case 4:
            __builtin_memcpy(at, &value, 4);
            break;
        case 3:
            __builtin_memcpy(at, &value, 3);
            break;
        default: {
            const u16 value16 = static_cast<u16>(value);
            __builtin_memcpy(at, &value16, 2);
            break;
        }
    }
}

}  // namespace kernel::console
