// The console's scrollback (docs/console.md): the ring of rows, the grid's
// view through it, the framebuffer console drawing that view, and the shell
// router turning Shift+PgUp/PgDn into view moves.
#include "kernel/console/scrollback.hpp"

#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <vector>

#include "kernel/console/framebuffer_console.hpp"
#include "kernel/console/text_grid.hpp"
#include "kernel/log/sink.hpp"
#include "kernel/shell/commands/commands.hpp"
#include "kernel/shell/registry.hpp"
#include "kernel/shell/router.hpp"
#include "kernel/shell/session.hpp"

namespace kernel::console {
namespace {

std::string text_of(ktl::span<const Cell> row) {
    std::string text;
    for (Cell cell : row) text += static_cast<char>(cell.ch);
    while (!text.empty() && text.back() == ' ') text.pop_back();
    return text;
}

std::vector<Cell> row_of(const std::string& text, u8 attr = 0x07) {
    std::vector<Cell> row;
    for (char c : text) row.push_back(Cell{static_cast<u8>(c), attr});
    return row;
}

TEST(Scrollback, KeepsTheNewestRowsOldestFirst) {
    std::vector<Cell> storage(3 * 4);
    Scrollback ring({storage.data(), storage.size()}, 4);
    EXPECT_EQ(ring.capacity(), 3u);
    EXPECT_EQ(ring.size(), 0u);
    for (const char* r : {"aaaa", "bbbb", "cccc", "dddd", "eeee"}) {
        const std::vector<Cell> row = row_of(r);
        ring.push({row.data(), row.size()}, Cell{' ', 0x07});
    }
    ASSERT_EQ(ring.size(), 3u);
    EXPECT_EQ(text_of(ring.row(0)), "cccc");
    EXPECT_EQ(text_of(ring.row(1)), "dddd");
    EXPECT_EQ(text_of(ring.row(2)), "eeee");
}

TEST(Scrollback, CutsOrPadsRowsToItsWidthKeepingAttributes) {
    std::vector<Cell> storage(2 * 4);
    Scrollback ring({storage.data(), storage.size()}, 4);
    const std::vector<Cell> longer = row_of("abcdef", 0x0e);
    const std::vector<Cell> shorter = row_of("x", 0x0c);
    ring.push({longer.data(), longer.size()}, Cell{' ', 0x07});
    ring.push({shorter.data(), shorter.size()}, Cell{'.', 0x17});
    EXPECT_EQ(text_of(ring.row(0)), "abcd");
    EXPECT_EQ(ring.row(0)[3].attr, 0x0e);
    EXPECT_EQ(text_of(ring.row(1)), "x...");
    EXPECT_EQ(ring.row(1)[0].attr, 0x0c);
    EXPECT_EQ(ring.row(1)[1].attr, 0x17);
}

TEST(Scrollback, WithoutRoomKeepsNothing) {
    std::vector<Cell> storage(3);
    Scrollback ring({storage.data(), storage.size()}, 4);
    EXPECT_EQ(ring.capacity(), 0u);
    const std::vector<Cell> row = row_of("abcd");
    ring.push({row.data(), row.size()}, Cell{' ', 0x07});
    EXPECT_EQ(ring.size(), 0u);
}

TEST(Scrollback, MakeScrollbackTakesItsRowsFromTheHeap) {
    Scrollback* ring = make_scrollback(500, 80);
    ASSERT_NE(ring, nullptr);
    EXPECT_EQ(ring->capacity(), 500u);
    EXPECT_EQ(ring->columns(), 80u);
    destroy_scrollback(ring);
    EXPECT_EQ(make_scrollback(0, 80), nullptr);
}

// A 10x4 grid with a scrollback of `history` rows.
class GridView : public ::testing::Test {
protected:
    static constexpr u32 kColumns = 10;
    static constexpr u32 kRows = 4;

    explicit GridView(u32 history = 600) : history_storage_(usize{history} * kColumns) {}

    Cell storage_[kColumns * kRows];
    TextGrid grid_{ktl::span<Cell>(storage_), kColumns, kRows};
    std::vector<Cell> history_storage_;
    Scrollback history_{{history_storage_.data(), history_storage_.size()}, kColumns};

    void SetUp() override { ASSERT_TRUE(grid_.attach_scrollback(&history_)); }
    std::string shown(u32 row) const { return text_of(grid_.visible_row(row)); }
    void write_lines(u32 from, u32 to) {
        for (u32 n = from; n < to; ++n) {
            const std::string line = "line " + std::to_string(n) + "\n";
            grid_.write({line.data(), line.size()});
        }
    }
    std::vector<u32> take_dirty() {
        std::vector<u32> rows;
        grid_.for_each_dirty_row([&](u32 row) { rows.push_back(row); });
        return rows;
    }
};

TEST_F(GridView, RowsScrolledOffTheTopGoIntoTheScrollback) {
    write_lines(0, 6);  // rows: line 3, line 4, line 5, (cursor)
    ASSERT_EQ(history_.size(), 3u);
    EXPECT_EQ(text_of(history_.row(0)), "line 0");
    EXPECT_EQ(text_of(history_.row(2)), "line 2");
    EXPECT_EQ(shown(0), "line 3");
}

TEST_F(GridView, PagesBackAndForwardThroughMoreThan500Lines) {
    write_lines(0, 700);
    ASSERT_EQ(history_.size(), 600u);  // the ring is full: the oldest 97 are gone
    EXPECT_EQ(grid_.page_rows(), 3u);
    grid_.move_view(ViewMove::PageBack);
    EXPECT_EQ(grid_.view_offset(), 3u);
    EXPECT_EQ(shown(0), "line 694");
    EXPECT_EQ(shown(3), "line 697");
    EXPECT_FALSE(grid_.cursor_in_view());
    // All the way back: clamped at the oldest row kept.
    for (int i = 0; i < 300; ++i) grid_.move_view(ViewMove::PageBack);
    EXPECT_EQ(grid_.view_offset(), 600u);
    EXPECT_EQ(shown(0), "line 97");
    grid_.move_view(ViewMove::PageForward);
    EXPECT_EQ(shown(0), "line 100");
    grid_.move_view(ViewMove::Bottom);
    EXPECT_EQ(grid_.view_offset(), 0u);
    EXPECT_TRUE(grid_.cursor_in_view());
    EXPECT_EQ(shown(0), "line 697");
    // Forward past the bottom stays at the bottom.
    grid_.move_view(ViewMove::PageForward);
    EXPECT_EQ(grid_.view_offset(), 0u);
}

TEST_F(GridView, MovingTheViewMarksEveryRowDirtyOnlyWhenItMoves) {
    write_lines(0, 10);
    (void)take_dirty();
    grid_.move_view(ViewMove::PageForward);  // already at the bottom
    EXPECT_TRUE(take_dirty().empty());
    grid_.move_view(ViewMove::PageBack);
    EXPECT_EQ(take_dirty(), (std::vector<u32>{0, 1, 2, 3}));
}

TEST_F(GridView, AnyWriteReturnsTheViewToTheBottom) {
    write_lines(0, 10);
    grid_.move_view(ViewMove::PageBack);
    ASSERT_NE(grid_.view_offset(), 0u);
    grid_.write("x");
    EXPECT_EQ(grid_.view_offset(), 0u);
    EXPECT_EQ(shown(3), "x");
    grid_.move_view(ViewMove::PageBack);
    grid_.put('y');
    EXPECT_EQ(grid_.view_offset(), 0u);
}

TEST_F(GridView, ClearKeepsTheRowsItWipesInTheScrollback) {
    grid_.write("one\ntwo\nthree");
    grid_.clear();
    ASSERT_EQ(history_.size(), 3u);
    EXPECT_EQ(text_of(history_.row(2)), "three");
    EXPECT_EQ(shown(0), "");
    grid_.move_view(ViewMove::PageBack);
    EXPECT_EQ(shown(0), "one");
    EXPECT_EQ(shown(2), "three");
}

// A ring made after the console started (the heap comes later) gets the
// rows the console's text had already scrolled away: the same rows, wrapped
// the same way, as a ring attached from the first line would hold, and
// none that is still on the screen.
TEST(GridReplay, ARingMadeLaterHoldsWhatScrolledOffBeforeIt) {
    std::string shown;
    for (int i = 1; i <= 30; ++i) shown += "line " + std::to_string(i) + "\n";
    shown += std::string(14, 'w') + "\tend\n";  // wraps at 10 columns, a tab
    const ktl::string_view text{shown.data(), shown.size()};

    Cell from_start_cells[10 * 4];
    TextGrid from_start{ktl::span<Cell>(from_start_cells), 10, 4};
    std::vector<Cell> first_storage(10 * 100);
    Scrollback first({first_storage.data(), first_storage.size()}, 10);
    ASSERT_TRUE(from_start.attach_scrollback(&first));
    from_start.write(text);

    Cell late_cells[10 * 4];
    TextGrid late{ktl::span<Cell>(late_cells), 10, 4};
    late.write(text);  // the console before its ring existed
    std::vector<Cell> later_storage(10 * 100);
    Scrollback later({later_storage.data(), later_storage.size()}, 10);
    ASSERT_TRUE(replay_scrolled_rows(later, late.rows(), text));
    ASSERT_TRUE(late.attach_scrollback(&later));

    ASSERT_EQ(later.size(), first.size());
    ASSERT_EQ(later.size(), 30u);  // 34 rows, the last 4 on screen (the cursor's empty)
    for (u32 i = 0; i < later.size(); ++i) EXPECT_EQ(text_of(later.row(i)), text_of(first.row(i)));
    EXPECT_EQ(text_of(later.row(0)), "line 1");
    EXPECT_EQ(text_of(later.row(29)), "line 30");
    EXPECT_EQ(text_of(late.visible_row(0)), "wwwwwwwwww");
    // Paged back, the oldest row shown is the first line.
    late.move_view(ViewMove::PageBack);
    for (int i = 0; i < 20; ++i) late.move_view(ViewMove::PageBack);
    EXPECT_EQ(text_of(late.visible_row(0)), "line 1");
}

TEST(GridReplay, NothingShownKeepsNothing) {
    std::vector<Cell> storage(10 * 10);
    Scrollback ring({storage.data(), storage.size()}, 10);
    EXPECT_TRUE(replay_scrolled_rows(ring, 4, ""));
    EXPECT_TRUE(replay_scrolled_rows(ring, 4, "one\ntwo\n"));  // still on screen
    EXPECT_EQ(ring.size(), 0u);
}

TEST(GridViewAttach, RefusesAScrollbackOfAnotherWidth) {
    Cell storage[10 * 4];
    TextGrid grid{ktl::span<Cell>(storage), 10, 4};
    std::vector<Cell> ring_storage(8 * 20);
    Scrollback narrow({ring_storage.data(), ring_storage.size()}, 8);
    EXPECT_FALSE(grid.attach_scrollback(&narrow));
    EXPECT_EQ(grid.scrollback(), nullptr);
    // Without one, the view never moves.
    for (int i = 0; i < 10; ++i) grid.write("x\n");
    grid.move_view(ViewMove::PageBack);
    EXPECT_EQ(grid.view_offset(), 0u);
}

// A 4x3-cell XRGB8888 framebuffer in RAM.
struct FbView : ::testing::Test {
    static constexpr u32 kWidth = 32, kHeight = 48;
    std::vector<u8> pixels = std::vector<u8>(usize{kWidth} * 4 * kHeight, 0);
    FramebufferInfo info{pixels.data(), kWidth * 4, kWidth, kHeight, 32, 16, 8, 8, 8, 0, 8};
    std::unique_ptr<FramebufferConsole> console =
        std::make_unique<FramebufferConsole>(info, kTerminusFont);

    // Whether cell (column, row) shows `ch` in light grey on black.
    bool shows(u32 column, u32 row, u8 ch) const {
        const Font& font = kTerminusFont;
        for (u32 y = 0; y < font.glyph_height; ++y)
            for (u32 x = 0; x < font.glyph_width; ++x) {
                const bool bit =
                    (font.glyph(ch)[y * font.bytes_per_row + x / 8] & (0x80 >> (x % 8))) != 0;
                const u32 want = console->pixel_value(bit ? Color::LightGray : Color::Black);
                u32 got = 0;
                __builtin_memcpy(&got,
                                 pixels.data() + (usize{row} * font.glyph_height + y) * kWidth * 4 +
                                     (usize{column} * font.glyph_width + x) * 4,
                                 4);
                if (got != want) return false;
            }
        return true;
    }
};

TEST_F(FbView, ShiftPgUpDrawsTheRowsThatScrolledAway) {
    ASSERT_TRUE(console->enable_scrollback(500, {}));
    console->write("A\nB\nC\nD\nE\nF");  // screen: D E F; history: A B C
    console->set_cursor_visible(false);
    EXPECT_TRUE(shows(0, 0, 'D'));
    console->move_view(ViewMove::PageBack);  // two rows back (a page is rows - 1)
    EXPECT_TRUE(shows(0, 0, 'B'));
    EXPECT_TRUE(shows(0, 1, 'C'));
    EXPECT_TRUE(shows(0, 2, 'D'));
    console->move_view(ViewMove::PageBack);  // clamped at A
    EXPECT_TRUE(shows(0, 0, 'A'));
    console->move_view(ViewMove::PageForward);
    console->move_view(ViewMove::PageForward);
    EXPECT_TRUE(shows(0, 0, 'D'));
    EXPECT_TRUE(shows(0, 2, 'F'));
    // New output while back: the live screen returns, with the new text.
    console->move_view(ViewMove::PageBack);
    console->write("G");
    EXPECT_TRUE(shows(0, 0, 'D'));
    EXPECT_TRUE(shows(1, 2, 'G'));
}

TEST_F(FbView, TheCursorIsHiddenWhileTheViewIsBack) {
    ASSERT_TRUE(console->enable_scrollback(500, {}));
    console->write("A\nB\nC\nD");
    const u32 last_line = kTerminusFont.glyph_height - 1;
    auto cursor_drawn = [&] {
        u32 got = 0;
        // The cursor cell (1, 2): its bottom pixel row is the underline.
        __builtin_memcpy(&got,
                         pixels.data() + (2 * kTerminusFont.glyph_height + last_line) * kWidth * 4 +
                             1 * kTerminusFont.glyph_width * 4,
                         4);
        return got == console->pixel_value(Color::LightGray);
    };
    EXPECT_TRUE(cursor_drawn());
    console->move_view(ViewMove::PageBack);
    EXPECT_FALSE(cursor_drawn());
    console->move_view(ViewMove::Bottom);
    EXPECT_TRUE(cursor_drawn());
}

// bench=console's baseline: the old every-cell redraw draws what the
// shadow skips.
TEST_F(FbView, RedrawUnchangedDrawsEveryCellOfADirtyRow) {
    console->set_cursor_visible(false);
    console->write("ab\nab\nab\n");  // a scroll whose rows read the same
    const u64 shadowed = console->cells_rendered();
    console->write("\n");
    const u64 with_shadow = console->cells_rendered() - shadowed;
    console->set_redraw_unchanged(true);
    const u64 before = console->cells_rendered();
    console->write("\n");
    EXPECT_EQ(console->cells_rendered() - before, 12u);  // 4x3 cells, all redrawn
    EXPECT_LT(with_shadow, 12u);
}

}  // namespace
}  // namespace kernel::console

namespace kernel::shell {
namespace {

// A screen sink that records the view moves the router asks for.
struct ViewSink final : log::Sink {
    std::vector<log::ViewMove> moves;
    void write(ktl::string_view /*text*/) override {}
    void move_view(log::ViewMove move) override { moves.push_back(move); }
};

struct NullIo final : Io {
    std::string text;
    void write(ktl::string_view t) override { text.append(t.data(), t.size()); }
    void bell() override {}
    void clear_screen() override {}
    bool interrupted() override { return false; }
};

struct RouterView : ::testing::Test {
    NullIo screen_io, serial_io;
    Session screen{screen_io, registry()};
    Session serial{serial_io, registry()};
    ViewSink view;
    Router router{&screen, &serial, &view};

    void SetUp() override {
        registry().clear();
        ASSERT_TRUE(registry().add(commands::kEcho));
    }
    void TearDown() override { registry().clear(); }
    void press(input::Key key, u8 modifiers, input::Source source = input::Source::Keyboard,
               char32_t text = 0, bool pressed = true) {
        input::Event e;
        e.source = source;
        e.key.key = key;
        e.key.text = text;
        e.key.modifiers = modifiers;
        e.key.pressed = pressed;
        router.deliver(e);
    }
};

TEST_F(RouterView, ShiftPageKeysMoveTheScreensViewAndTypeNothing) {
    using input::Key;
    press(Key::Shift, input::modifier::kShift);
    press(Key::PageUp, input::modifier::kShift);
    press(Key::PageUp, input::modifier::kShift);
    press(Key::PageDown, input::modifier::kShift);
    press(Key::Shift, 0, input::Source::Keyboard, 0, false);
    EXPECT_EQ(view.moves,
              (std::vector<log::ViewMove>{log::ViewMove::PageBack, log::ViewMove::PageBack,
                                          log::ViewMove::PageForward}));
    EXPECT_EQ(screen_io.text, "");
}

TEST_F(RouterView, AnyOtherKeyReturnsTheViewToTheBottomThenTypes) {
    using input::Key;
    press(Key::PageUp, input::modifier::kShift);
    press(Key::Character, 0, input::Source::Keyboard, U'e');
    ASSERT_EQ(view.moves.size(), 2u);
    EXPECT_EQ(view.moves[1], log::ViewMove::Bottom);
    EXPECT_EQ(screen_io.text, "e");
    // PgUp without Shift is an ordinary key; releases and modifiers alone
    // leave the view where it is.
    press(Key::PageUp, 0);
    press(Key::Character, 0, input::Source::Keyboard, U'e', false);
    press(Key::Ctrl, input::modifier::kCtrl);
    EXPECT_EQ(view.moves.size(), 3u);
    EXPECT_EQ(view.moves[2], log::ViewMove::Bottom);
}

TEST_F(RouterView, SerialKeysNeverMoveTheScreen) {
    press(input::Key::PageUp, input::modifier::kShift, input::Source::Serial);
    press(input::Key::Character, 0, input::Source::Serial, U'x');
    EXPECT_TRUE(view.moves.empty());
    EXPECT_EQ(serial_io.text, "x");
}

}  // namespace
}  // namespace kernel::shell
