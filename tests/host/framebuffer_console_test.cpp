#include "kernel/console/framebuffer_console.hpp"
#include "framebuffer_layouts.hpp"

#include <gtest/gtest.h>

#include <cstring>
#include <memory>
#include <string>
#include <vector>

namespace kernel::console {
namespace {

// A framebuffer in RAM, exactly pitch * height bytes so that ASan reports
// any write past its end.
class RamFramebuffer {
public:
    RamFramebuffer(const Layout& layout, u32 width, u32 height, u32 pad = 0)
        : bytes_per_pixel_((layout.bpp + 7) / 8),
          pixels_(static_cast<usize>(width * bytes_per_pixel_ + pad) * height, 0xEE) {
        info_ = FramebufferInfo{pixels_.data(),
                                width * bytes_per_pixel_ + pad,
                                width,
                                height,
                                layout.bpp,
                                layout.red_pos,
                                layout.red_size,
                                layout.green_pos,
                                layout.green_size,
                                layout.blue_pos,
                                layout.blue_size};
    }
    const FramebufferInfo& info() const { return info_; }
    u32 pixel(u32 x, u32 y) const {
        u32 value = 0;
        std::memcpy(&value, pixels_.data() + y * info_.pitch + x * bytes_per_pixel_,
                    bytes_per_pixel_);
        return value;
    }
    u8 byte_at(usize offset) const { return pixels_[offset]; }

private:
    u32 bytes_per_pixel_;
    std::vector<u8> pixels_;
    FramebufferInfo info_{};
};

bool glyph_bit(const Font& font, u8 ch, u32 x, u32 y) {
    return (font.glyph(ch)[y * font.bytes_per_row + x / 8] & (0x80 >> (x % 8))) != 0;
}

// Every pixel of the cell is fg where the glyph has a bit, bg elsewhere.
void expect_cell(const RamFramebuffer& fb, const FramebufferConsole& console, u32 column, u32 row,
                 u8 ch, Color fg, Color bg) {
    const Font& font = kTerminusFont;
    for (u32 y = 0; y < font.glyph_height; ++y)
        for (u32 x = 0; x < font.glyph_width; ++x) {
            const u32 expected = console.pixel_value(glyph_bit(font, ch, x, y) ? fg : bg);
            ASSERT_EQ(fb.pixel(column * font.glyph_width + x, row * font.glyph_height + y),
                      expected)
                << "cell " << column << "," << row << " pixel " << x << "," << y;
        }
}

std::unique_ptr<FramebufferConsole> make_console(const RamFramebuffer& fb, bool cursor = false) {
    auto console = std::make_unique<FramebufferConsole>(fb.info(), kTerminusFont);
    console->set_cursor_visible(cursor);
    return console;
}

TEST(FramebufferConsolePalette, ComposesPixelValuesFromTheColourLayout) {
    RamFramebuffer fb32(kXrgb8888, 8, 16), bgr(kXbgr8888, 8, 16), fb16(kRgb565, 8, 16);
    auto c32 = make_console(fb32);
    auto cbgr = make_console(bgr);
    auto c16 = make_console(fb16);
    EXPECT_EQ(c32->pixel_value(Color::LightRed), 0xFF5555u);
    EXPECT_EQ(c32->pixel_value(Color::Brown), 0xAA5500u);
    EXPECT_EQ(cbgr->pixel_value(Color::Brown), 0x0055AAu);
    EXPECT_EQ(c16->pixel_value(Color::White), 0xFFFFu);
    EXPECT_EQ(c16->pixel_value(Color::Black), 0u);
    // 0xAA scales to 21 of 31 (5 bits) and 0x55 to 21 of 63 (6 bits).
    EXPECT_EQ(c16->pixel_value(Color::Brown), (21u << 11) | (21u << 5));
}

class FramebufferConsoleLayoutTest : public ::testing::TestWithParam<Layout> {};

TEST_P(FramebufferConsoleLayoutTest, GlyphPixelsUseForegroundAndBackground) {
    RamFramebuffer fb(GetParam(), 64, 48, 4);
    auto console = make_console(fb);
    console->set_colors(Color::Yellow, Color::Blue);
    console->write("A");
    expect_cell(fb, *console, 0, 0, 'A', Color::Yellow, Color::Blue);
    // The glyph really is drawn: some pixel of 'A' is foreground.
    bool any_fg = false;
    for (u32 y = 0; y < 16; ++y)
        for (u32 x = 0; x < 8; ++x) any_fg |= fb.pixel(x, y) == console->pixel_value(Color::Yellow);
    EXPECT_TRUE(any_fg);
    // Untouched cells keep the colours clear() painted.
    expect_cell(fb, *console, 1, 0, ' ', Color::LightGray, Color::Black);
}

TEST_P(FramebufferConsoleLayoutTest, PaddingBeyondTheVisibleWidthIsNotTouched) {
    const u32 pad = 5;
    RamFramebuffer fb(GetParam(), 20, 20, pad);  // 2x1 cells plus pixel margins
    auto console = make_console(fb, true);
    console->write("ab\ncd\n");
    const u32 row_bytes = fb.info().pitch - pad;
    for (u32 y = 0; y < 20; ++y)
        for (u32 i = 0; i < pad; ++i)
            EXPECT_EQ(fb.byte_at(y * fb.info().pitch + row_bytes + i), 0xEE);
    // The margins right of and below the grid are background.
    EXPECT_EQ(fb.pixel(19, 0), console->pixel_value(Color::Black));
    EXPECT_EQ(fb.pixel(0, 19), console->pixel_value(Color::Black));
}

INSTANTIATE_TEST_SUITE_P(FramebufferLayouts, FramebufferConsoleLayoutTest,
                         ::testing::Values(kXrgb8888, kXbgr8888, kRgb888, kRgb565),
                         [](const auto& info) { return std::string(info.param.name); });

TEST(FramebufferConsole, GridSizeFollowsTheScreenUpToTheStaticMaximum) {
    RamFramebuffer small(kXrgb8888, 1024, 768);
    auto console = make_console(small);
    EXPECT_TRUE(console->usable());
    EXPECT_EQ(console->grid().columns(), 128u);
    EXPECT_EQ(console->grid().rows(), 48u);
    RamFramebuffer huge(kRgb565, 2600, 1700);
    auto big = make_console(huge);
    EXPECT_EQ(big->grid().columns(), FramebufferConsole::kMaxColumns);
    EXPECT_EQ(big->grid().rows(), FramebufferConsole::kMaxRows);
    EXPECT_EQ(big->name(), "framebuffer");
}

TEST(FramebufferConsole, UnusableLayoutsDrawNothing) {
    RamFramebuffer eight(Layout{"c8", 8, 0, 0, 0, 0, 0, 0}, 64, 32);
    auto console = make_console(eight);
    console->write("hello\n");
    console->clear();
    EXPECT_FALSE(console->usable());
    EXPECT_EQ(console->cells_rendered(), 0u);
    EXPECT_EQ(eight.byte_at(0), 0xEE);

    RamFramebuffer tiny(kXrgb8888, 7, 16);  // narrower than one glyph
    EXPECT_FALSE(make_console(tiny)->usable());
    FramebufferInfo null_address = tiny.info();
    null_address.address = nullptr;
    EXPECT_FALSE(FramebufferConsole(null_address, kTerminusFont).usable());
}

TEST(FramebufferConsole, ScrollingMovesPixelsUp) {
    RamFramebuffer fb(kRgb888, 32, 48);  // 4x3 cells
    auto console = make_console(fb);
    console->write("A\nB\n");
    console->set_colors(Color::LightGreen, Color::Black);
    console->write("C\nD");
    expect_cell(fb, *console, 0, 0, 'B', Color::LightGray, Color::Black);
    expect_cell(fb, *console, 0, 1, 'C', Color::LightGreen, Color::Black);
    expect_cell(fb, *console, 0, 2, 'D', Color::LightGreen, Color::Black);
}

TEST(FramebufferConsole, RedrawsOnlyCellsThatChanged) {
    RamFramebuffer fb(kXrgb8888, 32, 48);  // 4x3 cells
    auto console = make_console(fb);
    // Construction drew only the cursor (clear() fills the screen in one
    // pass: blank cells need no glyphs), and hiding it redrew that cell.
    const u64 start = console->cells_rendered();
    EXPECT_EQ(start, 2u);
    console->write("abc");
    EXPECT_EQ(console->cells_rendered(), start + 3);
    console->write("\n\r\t\b\r");  // cursor movement only
    EXPECT_EQ(console->cells_rendered(), start + 3);
    console->write("abc\nabx");
    EXPECT_EQ(console->cells_rendered(), start + 9);
    // Without a shadow the scroll moves no pixels (that would read the
    // framebuffer): the rows become "abc", "abx", "", and only the cells
    // that differ from what the screen shows there are drawn: the 'x' that
    // came up a row and row 2's three cells, blank where "abx" was.
    console->write("\n");
    EXPECT_EQ(console->cells_rendered(), start + 13);
    EXPECT_EQ(console->pixel_moves(), 0u);
    expect_cell(fb, *console, 2, 1, 'x', Color::LightGray, Color::Black);
    expect_cell(fb, *console, 2, 2, ' ', Color::LightGray, Color::Black);
    // Rewriting the same text changes nothing on screen.
    console->write("\r    \r");
    EXPECT_EQ(console->cells_rendered(), start + 13);
    // A colour change is a change even for the same character.
    console->set_colors(Color::Red, Color::Black);
    console->write(" ");
    EXPECT_EQ(console->cells_rendered(), start + 14);
}

// With a shadow, a scroll moves the shadow's pixels of the rows that stay:
// only the new bottom row is drawn, even when every row differs from its
// neighbours.
TEST(FramebufferConsole, ScrollMovesPixelsAndDrawsOnlyTheNewRow) {
    RamFramebuffer fb(kXrgb8888, 32, 48);  // 4x3 cells
    auto console = make_console(fb, true);
    std::vector<u8> shadow(console->shadow_bytes());
    ASSERT_TRUE(console->attach_shadow({shadow.data(), shadow.size()}));
    console->write("abcd\nefgh\nijkl");
    const u64 before = console->cells_rendered();
    console->write("\nmnop");
    // 4 glyphs of the new row, the cursor taken off before the move and
    // drawn again at its new place.
    EXPECT_EQ(console->cells_rendered() - before, 4u + 2u);
    console->set_cursor_visible(false);
    const char* rows[] = {"efgh", "ijkl", "mnop"};
    for (u32 r = 0; r < 3; ++r)
        for (u32 c = 0; c < 4; ++c)
            expect_cell(fb, *console, c, r, static_cast<u8>(rows[r][c]), Color::LightGray,
                        Color::Black);
    // Several scrolls in one write: one move, then the rows that differ.
    console->write("\n1\n2");
    expect_cell(fb, *console, 0, 0, 'm', Color::LightGray, Color::Black);
    expect_cell(fb, *console, 0, 1, '1', Color::LightGray, Color::Black);
    expect_cell(fb, *console, 0, 2, '2', Color::LightGray, Color::Black);
    expect_cell(fb, *console, 1, 2, ' ', Color::LightGray, Color::Black);
}

TEST(FramebufferConsole, CursorIsAnUnderlineThatFollowsTheText) {
    RamFramebuffer fb(kXrgb8888, 32, 48);
    auto console = make_console(fb, true);
    const u32 fg = console->pixel_value(Color::LightGray);
    const u32 bg = console->pixel_value(Color::Black);
    EXPECT_EQ(fb.pixel(0, 15), fg);  // at 0,0 after construction
    EXPECT_EQ(fb.pixel(0, 13), bg);
    console->write("a");
    EXPECT_EQ(fb.pixel(8, 14), fg);
    EXPECT_EQ(fb.pixel(15, 15), fg);
    // The old position is redrawn without the underline.
    expect_cell(fb, *console, 0, 0, 'a', Color::LightGray, Color::Black);
    console->set_cursor_visible(false);
    expect_cell(fb, *console, 1, 0, ' ', Color::LightGray, Color::Black);
}

TEST(FramebufferConsole, ClearPaintsTheWholeScreenWithTheBackground) {
    RamFramebuffer fb(kRgb565, 36, 40);  // 4x2 cells plus margins
    auto console = make_console(fb);
    console->write("text\nmore");
    console->set_colors(Color::White, Color::Blue);
    console->clear();
    const u32 blue = console->pixel_value(Color::Blue);
    for (u32 y = 0; y < 40; ++y)
        for (u32 x = 0; x < 36; ++x) ASSERT_EQ(fb.pixel(x, y), blue) << x << "," << y;
    EXPECT_EQ(console->grid().cursor_column(), 0u);
    console->write("Q");
    expect_cell(fb, *console, 0, 0, 'Q', Color::White, Color::Blue);
}

TEST(FontTerminus, MapsCharactersToGlyphs) {
    const Font& font = kTerminusFont;
    EXPECT_EQ(font.glyph_width, 8u);
    EXPECT_EQ(font.glyph_height, 16u);
    EXPECT_EQ(font.bytes_per_row, 1u);
    EXPECT_GE(font.glyph_count, 256u);
    auto lit = [&](u8 ch) {
        u32 bits = 0;
        for (usize i = 0; i < font.glyph_bytes(); ++i) bits += font.glyph(ch)[i] != 0;
        return bits;
    };
    EXPECT_GT(lit('A'), 0u);
    EXPECT_EQ(lit(' '), 0u);
    EXPECT_NE(font.glyph_for_char[u8{'A'}], font.glyph_for_char[u8{'B'}]);
    EXPECT_GT(lit(0xC4), 0u);  // CP437 box drawing, through the Unicode table
    EXPECT_GT(lit(0x82), 0u);  // e acute
    for (u16 index : font.glyph_for_char) EXPECT_LT(index, font.glyph_count);
    for (u32 ch = 0x21; ch < 0x7F; ++ch) EXPECT_GT(lit(static_cast<u8>(ch)), 0u) << ch;
}

}  // namespace
}  // namespace kernel::console
