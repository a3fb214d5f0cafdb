// The framebuffer console never reads the framebuffer (docs/console.md,
// "Never reading the framebuffer"). On a PC a read of write-combining or
// uncached memory is a slow bus read; here the framebuffer is RAM, so the
// tests stand for "reads return nothing useful" by overwriting it with
// garbage after the text is drawn. A console that moved or reread pixels
// would then show garbage from elsewhere; one that only writes shows what a
// reference console (the same text, no garbage) shows wherever the screen
// changed.
#include <gtest/gtest.h>

#include <cstring>
#include <memory>
#include <string>
#include <vector>

#include "framebuffer_layouts.hpp"
#include "kernel/console/font.hpp"
#include "kernel/console/framebuffer_console.hpp"

namespace kernel::console {
namespace {

// A byte of garbage that depends on where it is: a pixel copied from
// another place of the framebuffer cannot pass for the one here.
u8 garbage(usize offset) { return static_cast<u8>((offset * 2654435761u) >> 13 ^ 0x5A); }

// A framebuffer in RAM with margins right of and below the grid (3 pixels
// and 5 scanlines) and a padded pitch, plus the console on it.
struct Screen {
    Screen(const Layout& layout, u32 columns, u32 rows)
        : bytes_per_pixel((layout.bpp + 7) / 8),
          width(columns * kTerminusFont.glyph_width + 3),
          height(rows * kTerminusFont.glyph_height + 5),
          pitch(width * bytes_per_pixel + 4),
          pixels(static_cast<usize>(pitch) * height, 0) {
        const FramebufferInfo info{
            pixels.data(),     pitch,           width,           height,
            layout.bpp,        layout.red_pos,  layout.red_size, layout.green_pos,
            layout.green_size, layout.blue_pos, layout.blue_size};
        console = std::make_unique<FramebufferConsole>(info, kTerminusFont);
    }
    bool attach_shadow() {
        shadow.assign(console->shadow_bytes(), 0);
        return console->attach_shadow({shadow.data(), shadow.size()});
    }
    void spoil() {
        for (usize i = 0; i < pixels.size(); ++i) pixels[i] = garbage(i);
    }
    // Every visible pixel, margins included (not the pitch's padding).
    [[nodiscard]] std::vector<u8> visible() const {
        std::vector<u8> out;
        for (u32 y = 0; y < height; ++y)
            out.insert(out.end(), pixels.begin() + static_cast<isize>(y) * pitch,
                       pixels.begin() + static_cast<isize>(y) * pitch +
                           static_cast<isize>(width * bytes_per_pixel));
        return out;
    }
    // The grid's pixels (the margins are only painted by clear()).
    [[nodiscard]] std::vector<u8> grid_area() const {
        std::vector<u8> out;
        const usize line = static_cast<usize>(console->grid().columns()) *
                           kTerminusFont.glyph_width * bytes_per_pixel;
        for (u32 y = 0; y < console->grid().rows() * kTerminusFont.glyph_height; ++y)
            out.insert(out.end(), pixels.begin() + static_cast<isize>(y) * pitch,
                       pixels.begin() + static_cast<isize>(y) * pitch + static_cast<isize>(line));
        return out;
    }
    [[nodiscard]] usize grid_offset(usize grid_index) const {
        const usize line = static_cast<usize>(console->grid().columns()) *
                           kTerminusFont.glyph_width * bytes_per_pixel;
        return (grid_index / line) * pitch + grid_index % line;
    }

    u32 bytes_per_pixel, width, height, pitch;
    std::vector<u8> pixels;
    std::vector<u8> shadow;
    std::unique_ptr<FramebufferConsole> console;
};

// A screen under test and its reference, given the same text: the
// reference draws every write straight into its framebuffer and its memory
// is never spoilt.
struct Pair {
    Pair(const Layout& layout, u32 columns, u32 rows, bool shadow)
        : subject(layout, columns, rows), reference(layout, columns, rows) {
        reference.console->set_batching(false);
        if (shadow) {
            EXPECT_TRUE(subject.attach_shadow());
        }
    }
    void write(ktl::string_view text) const {
        subject.console->write(text);
        reference.console->write(text);
    }
    void present() const { subject.console->present_pending(); }
    Screen subject;
    Screen reference;
};

std::string line(u32 n, u32 columns) {
    std::string text = std::to_string(n) + ":";
    while (text.size() < columns) text += static_cast<char>('!' + (n * 7 + text.size()) % 90);
    return text + "\n";
}
ktl::string_view view(const std::string& s) { return {s.data(), s.size()}; }

// The whole grid area shows exactly what the reference shows.
void expect_same_grid(const Pair& pair) {
    const std::vector<u8> got = pair.subject.grid_area();
    const std::vector<u8> want = pair.reference.grid_area();
    ASSERT_EQ(got.size(), want.size());
    usize wrong = 0;
    usize first = 0;
    for (usize i = 0; i < got.size(); ++i)
        if (got[i] != want[i] && wrong++ == 0) first = i;
    EXPECT_EQ(wrong, 0u) << "bytes of the grid differ from the reference, the first at " << first;
}

// Where the screen changed since `before` (the reference's grid area when
// the subject was spoilt), the subject shows the reference's bytes; where
// it did not, either those or the garbage left there. Never a byte from
// elsewhere: that would have been read.
void expect_changes_drawn_nothing_read(const Pair& pair, const std::vector<u8>& before) {
    const std::vector<u8> got = pair.subject.grid_area();
    const std::vector<u8> want = pair.reference.grid_area();
    usize changed = 0;
    usize wrong = 0;
    for (usize i = 0; i < got.size(); ++i) {
        const u8 left = garbage(pair.subject.grid_offset(i));
        if (want[i] != before[i]) {
            ++changed;
            if (got[i] != want[i]) ++wrong;
        } else if (got[i] != want[i] && got[i] != left) {
            ++wrong;
        }
    }
    EXPECT_GT(changed, 0u) << "the test changed nothing on screen";
    EXPECT_EQ(wrong, 0u);
}

TEST(FramebufferShadow, IsTheGridAreaAtTheFramebuffersDepth) {
    Screen full(kXrgb8888, 128, 48);  // 1024x768 plus margins
    EXPECT_EQ(full.console->shadow_bytes(), usize{1024} * 768 * 4);
    Screen packed(kRgb888, 5, 3);
    EXPECT_EQ(packed.console->shadow_bytes(), usize{5 * 8 * 3} * (3 * 16));
    FramebufferInfo unusable{nullptr, 64, 16, 16, 32, 16, 8, 8, 8, 0, 8};
    const FramebufferConsole none(unusable, kTerminusFont);
    EXPECT_EQ(none.shadow_bytes(), 0u);
}

TEST(FramebufferShadow, AttachRefusesTooLittleMemoryAndASecondShadow) {
    Screen screen(kXrgb8888, 4, 3);
    std::vector<u8> small(screen.console->shadow_bytes() - 1);
    EXPECT_FALSE(screen.console->attach_shadow({small.data(), small.size()}));
    EXPECT_FALSE(screen.console->has_shadow());
    EXPECT_TRUE(screen.attach_shadow());
    std::vector<u8> another(screen.console->shadow_bytes());
    EXPECT_FALSE(screen.console->attach_shadow({another.data(), another.size()}));
    const ktl::span<u8> given_back = screen.console->detach_shadow();
    EXPECT_EQ(given_back.data(), screen.shadow.data());
    EXPECT_FALSE(screen.console->has_shadow());
    EXPECT_TRUE(screen.console->detach_shadow().empty());
}

class ShadowDepthTest : public ::testing::TestWithParam<Layout> {};

// The heart of it: text, garbage, then lines until the screen scrolls (a
// move of the shadow's rows) and a present: the whole grid is right.
TEST_P(ShadowDepthTest, AScrollAfterGarbageShowsTheGrid) {
    constexpr u32 kColumns = 6;
    constexpr u32 kRows = 5;
    Pair pair(GetParam(), kColumns, kRows, true);
    for (u32 n = 0; n < kRows; ++n) pair.write(view(line(n, kColumns)));
    pair.present();
    pair.subject.spoil();
    const u64 moves = pair.subject.console->pixel_moves();
    pair.write("ab\ncd");  // a short line, then one more: a scroll by a row
    pair.present();
    EXPECT_EQ(pair.subject.console->pixel_moves(), moves + 1);
    expect_same_grid(pair);
}

// The cursor is drawn into the shadow, taken off before a move and put back.
TEST_P(ShadowDepthTest, TheCursorFollowsThroughScrollsWithoutReading) {
    Pair pair(GetParam(), 4, 3, true);
    pair.reference.console->set_cursor_visible(true);
    pair.write("abcd\nefgh\nij");
    pair.present();
    const std::vector<u8> before = pair.reference.grid_area();
    pair.subject.spoil();
    pair.write("\r");  // the cursor alone moves
    pair.present();
    expect_changes_drawn_nothing_read(pair, before);
    pair.write("kl\nmn\n");
    pair.present();
    expect_same_grid(pair);
}

// Attached to a console that already shows text: the shadow is rendered
// from the text, not from the framebuffer's pixels.
TEST_P(ShadowDepthTest, AttachingRendersTheTextNotThePixels) {
    Pair pair(GetParam(), 5, 4, false);
    pair.subject.console->set_colors(Color::Yellow, Color::Blue);
    pair.reference.console->set_colors(Color::Yellow, Color::Blue);
    pair.write("one\ntwo\nthree");
    pair.present();
    pair.subject.spoil();
    ASSERT_TRUE(pair.subject.attach_shadow());
    expect_same_grid(pair);
    // And it carries on from there.
    pair.write("\nfour\nfive\nsix");
    pair.present();
    expect_same_grid(pair);
}

// Clear paints the framebuffer (margins too) and the shadow alike.
TEST_P(ShadowDepthTest, ClearIsRightEverywhereAfterGarbage) {
    Pair pair(GetParam(), 4, 3, true);
    pair.write("abcd\nefgh");
    pair.present();
    pair.subject.spoil();
    pair.subject.console->set_colors(Color::White, Color::Magenta);
    pair.reference.console->set_colors(Color::White, Color::Magenta);
    pair.subject.console->clear();
    pair.reference.console->clear();
    EXPECT_TRUE(pair.subject.visible() == pair.reference.visible());
    pair.write("x\ny\nz\nw");
    pair.present();
    EXPECT_TRUE(pair.subject.visible() == pair.reference.visible());
}

INSTANTIATE_TEST_SUITE_P(Depths, ShadowDepthTest, ::testing::Values(kXrgb8888, kRgb888, kRgb565),
                         [](const auto& info) { return std::string(info.param.name); });

// The scrollback's view (Shift+PgUp/PgDn) is drawn into the shadow too.
TEST(FramebufferShadow, ViewMovesAfterGarbageReadNothing) {
    constexpr u32 kColumns = 6;
    constexpr u32 kRows = 4;
    Pair pair(kXrgb8888, kColumns, kRows, true);
    ASSERT_TRUE(pair.subject.console->enable_scrollback(50, ""));
    ASSERT_TRUE(pair.reference.console->enable_scrollback(50, ""));
    for (u32 n = 0; n < 12; ++n) pair.write(view(line(n, kColumns)));
    pair.present();
    std::vector<u8> before = pair.reference.grid_area();
    pair.subject.spoil();
    for (ViewMove move : {ViewMove::PageBack, ViewMove::PageBack, ViewMove::PageForward}) {
        pair.subject.console->move_view(move);
        pair.reference.console->move_view(move);
        expect_changes_drawn_nothing_read(pair, before);
        before = pair.reference.grid_area();
    }
    // A write returns the view to the bottom (a redraw, not a move)...
    pair.write(view(line(99, kColumns)));
    pair.present();
    expect_changes_drawn_nothing_read(pair, before);
    // ...and the next scroll is a move: all of the grid right, whatever
    // the framebuffer holds.
    pair.subject.spoil();
    pair.write(view(line(100, kColumns)));
    pair.present();
    expect_same_grid(pair);
}

// A present copies out only what changed: one typed character is its cell
// and the cursor's, a scroll the whole grid (the cost docs/console.md gives).
TEST(FramebufferShadow, APresentCopiesOnlyTheChangedSpans) {
    Screen screen(kXrgb8888, 16, 6);
    ASSERT_TRUE(screen.attach_shadow());
    FramebufferConsole& fb = *screen.console;
    const usize cell = usize{8} * 4 * 16;
    EXPECT_EQ(fb.bytes_copied_out(), fb.shadow_bytes());  // attaching copied it all
    u64 copied = fb.bytes_copied_out();
    fb.write("a");  // 'a' where the cursor was, the cursor one cell right
    EXPECT_EQ(fb.bytes_copied_out() - copied, 2 * cell);
    copied = fb.bytes_copied_out();
    fb.write("b\n\n\nc");  // 'b' and the cursor: row 0's span, then row 3's
    EXPECT_EQ(fb.bytes_copied_out() - copied, 3 * cell);
    copied = fb.bytes_copied_out();
    fb.write("\n\n\n");  // one scroll: every scanline of the grid
    EXPECT_EQ(fb.bytes_copied_out() - copied, fb.shadow_bytes());
    copied = fb.bytes_copied_out();
    fb.present_pending();  // nothing waits
    EXPECT_EQ(fb.bytes_copied_out(), copied);
}

// Detached (bench=console's direct paths), it draws straight into the
// framebuffer again from where the shadow left off.
TEST(FramebufferShadow, DetachingDrawsOnDirectly) {
    Pair pair(kXrgb8888, 6, 4, true);
    pair.write("abc\ndef");
    (void)pair.subject.console->detach_shadow();
    expect_same_grid(pair);
    pair.subject.shadow.assign(pair.subject.shadow.size(), 0xCC);  // no longer used
    pair.write("\nghi\njkl\nmno");
    pair.present();
    expect_same_grid(pair);
}

// Without a shadow (before the heap, or when it had no room) a scroll
// redraws the cells that changed and moves nothing: every cell whose text
// changed is drawn, and none shows pixels from another place.
TEST(FramebufferNoShadow, AScrollRedrawsInsteadOfReading) {
    constexpr u32 kColumns = 6;
    constexpr u32 kRows = 4;
    Pair pair(kXrgb8888, kColumns, kRows, false);
    for (u32 n = 0; n < kRows; ++n) pair.write(view(line(n, kColumns)));
    pair.present();
    const std::vector<u8> before = pair.reference.grid_area();
    pair.subject.spoil();
    pair.write(view(line(50, kColumns)));
    pair.write(view(line(51, kColumns)));
    pair.present();
    EXPECT_EQ(pair.subject.console->pixel_moves(), 0u);
    expect_changes_drawn_nothing_read(pair, before);
}

// Short lines leave cells that do not change: they are not drawn again,
// and no cell shows what was read from another place.
TEST(FramebufferNoShadow, UnchangedCellsAreLeftAloneChangedOnesDrawn) {
    Pair pair(kRgb888, 6, 4, false);
    pair.subject.console->set_cursor_visible(true);
    pair.reference.console->set_cursor_visible(true);
    pair.write("a\nbb\nccc\ndddd");
    pair.present();
    const std::vector<u8> before = pair.reference.grid_area();
    pair.subject.spoil();
    pair.write("\nee\nf");
    pair.present();
    expect_changes_drawn_nothing_read(pair, before);
}

}  // namespace
}  // namespace kernel::console
