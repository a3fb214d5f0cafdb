// VGA text scrolling by the CRTC start address (drivers/vga/text_window.hpp):
// a 32 KiB array stands in for VGA memory, and the screen a CRTC would show
// is read from it at start() the way tests/qemu/keel_qemu.py reads it.
#include "drivers/vga/text_window.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace drivers::vga {
namespace {

using kernel::console::Cell;
using kernel::console::Color;
using kernel::console::make_attribute;
using kernel::console::TextGrid;

class TextWindowTest : public ::testing::Test {
protected:
    TextWindowTest() {
        // Whatever the loader left: the first draw must overwrite it.
        for (u16& cell : memory_) cell = 0x4E58;  // 'X', yellow on red
    }

    // Screen row `row` as the CRTC shows it: from the start address on.
    std::string screen_row(u32 row) const {
        std::string text;
        const u32 base = window_.start() + row * kColumns;
        for (u32 c = 0; c < kColumns; ++c) text += static_cast<char>(memory_[base + c] & 0xFF);
        while (!text.empty() && text.back() == ' ') text.pop_back();
        return text;
    }
    // The whole screen matches the grid, character and attribute.
    void expect_screen_is_grid() const {
        const u32 base = window_.start();
        ASSERT_LE(base + kColumns * kRows, kWindowCells);
        for (u32 r = 0; r < kRows; ++r) {
            const auto row = grid_.visible_row(r);
            for (u32 c = 0; c < kColumns; ++c) {
                const u16 cell = memory_[base + r * kColumns + c];
                ASSERT_EQ(cell, static_cast<u16>(row[c].ch | (row[c].attr << 8)))
                    << "row " << r << " column " << c;
            }
        }
    }
    void print(const std::string& text) {
        grid_.write(ktl::string_view(text.data(), text.size()));
        window_.draw(grid_);
    }
    static std::string line(u32 n) { return "line " + std::to_string(n); }

    alignas(8) u16 memory_[kWindowCells] = {};
    Cell cells_[kColumns * kRows];
    TextGrid grid_{ktl::span<Cell>(cells_), kColumns, kRows};
    TextWindow window_{memory_};
};

TEST_F(TextWindowTest, WindowHolds204RowsAndTheLastScreenEndsInside) {
    EXPECT_EQ(kWindowRows, 204u);
    EXPECT_EQ(kLastTopRow, 179u);
    EXPECT_LE((kLastTopRow + kRows) * kColumns, kWindowCells);
}

TEST_F(TextWindowTest, FirstDrawWritesEveryCellAtTheTop) {
    window_.draw(grid_);
    EXPECT_EQ(window_.start(), 0);
    EXPECT_EQ(window_.cells_written(), kColumns * kRows);
    expect_screen_is_grid();
    // Nothing changed: nothing written.
    grid_.mark_all_dirty();
    window_.draw(grid_);
    EXPECT_EQ(window_.cells_written(), kColumns * kRows);
}

TEST_F(TextWindowTest, AScrollMovesTheStartAddressAndWritesOnlyTheNewRow) {
    for (u32 n = 0; n < kRows - 1; ++n) print(line(n) + "\n");
    window_.draw(grid_);
    ASSERT_EQ(window_.start(), 0);  // 24 lines and the cursor on row 24: no scroll yet
    const u64 before = window_.cells_written();
    print(line(24) + "\n");  // the text lands on row 24, the newline scrolls
    EXPECT_EQ(window_.start(), kColumns);
    // "line 24" on the old bottom row (6 cells: its space was there
    // already) and the new blank row (80).
    EXPECT_EQ(window_.cells_written() - before, 6u + kColumns);
    EXPECT_EQ(screen_row(0), line(1));
    EXPECT_EQ(screen_row(23), line(24));
    EXPECT_EQ(screen_row(24), "");
    expect_screen_is_grid();
}

TEST_F(TextWindowTest, CursorLocationCountsFromVideoMemoryNotFromTheStart) {
    for (u32 n = 0; n < 30; ++n) print(line(n) + "\n");
    print("ab");
    EXPECT_EQ(window_.start(), 6 * kColumns);
    EXPECT_EQ(window_.cursor(grid_), 6 * kColumns + 24 * kColumns + 2);
}

TEST_F(TextWindowTest, MoreLinesThanTheWindowHoldsComeBackToTheTop) {
    u32 n = 0;
    u32 wraps = 0;
    u16 last_start = 0;
    // Three times round the window, one line per draw.
    for (; n < 3 * kWindowRows; ++n) {
        print(line(n) + "\n");
        if (window_.start() < last_start) {
            ++wraps;
            // Back at the top with the whole screen written there once.
            EXPECT_EQ(window_.start(), 0);
        }
        EXPECT_LE(window_.start() / kColumns, kLastTopRow);
        expect_screen_is_grid();  // right after each move back to the top too
        last_start = window_.start();
    }
    EXPECT_GE(wraps, 3u);
    expect_screen_is_grid();
    EXPECT_EQ(screen_row(23), line(n - 1));
    EXPECT_EQ(screen_row(0), line(n - 24));
    // Far fewer writes than the 2000 cells a line a full redraw would cost:
    // one new row and a line of text per line, and a screen per wrap.
    EXPECT_LT(window_.cells_written(), u64{n} * (kColumns + 10) + (wraps + 1) * kColumns * kRows);
}

TEST_F(TextWindowTest, ManyLinesInOneDrawAndScrollsOfAWholeScreen) {
    window_.draw(grid_);  // the blank screen, as the console's constructor draws it
    std::string text;
    for (u32 n = 0; n < 60; ++n) text += line(n) + "\n";
    print(text);
    EXPECT_EQ(window_.start(), (60 - 24) * kColumns);
    expect_screen_is_grid();
    // A write that scrolls past the end of the window in one go.
    text.clear();
    for (u32 n = 60; n < 60 + kWindowRows; ++n) text += line(n) + "\n";
    print(text);
    EXPECT_EQ(window_.start(), 0);
    expect_screen_is_grid();
    EXPECT_EQ(screen_row(23), line(60 + kWindowRows - 1));
}

TEST_F(TextWindowTest, ScrollbackViewAndClearDrawInPlace) {
    kernel::console::Scrollback* history = kernel::console::make_scrollback(500, kColumns);
    ASSERT_NE(history, nullptr);
    ASSERT_TRUE(grid_.attach_scrollback(history));
    for (u32 n = 0; n < 100; ++n) print(line(n) + "\n");
    const u16 start = window_.start();
    grid_.move_view(kernel::console::ViewMove::PageBack);
    window_.draw(grid_);
    EXPECT_EQ(window_.start(), start);  // a view move is no scroll
    expect_screen_is_grid();
    EXPECT_EQ(screen_row(0), line(100 - 24 - 24));
    EXPECT_EQ(window_.cursor(grid_), start + kColumns * kRows);  // hidden
    grid_.move_view(kernel::console::ViewMove::Bottom);
    window_.draw(grid_);
    expect_screen_is_grid();
    EXPECT_EQ(screen_row(23), line(99));
    // The panic screen: a clear in other colours, then text.
    grid_.set_colors(Color::White, Color::Red);
    grid_.clear();
    print("PANIC");
    expect_screen_is_grid();
    EXPECT_EQ(screen_row(0), "PANIC");
    EXPECT_EQ(memory_[window_.start() + kColumns] >> 8, make_attribute(Color::White, Color::Red));
    EXPECT_EQ(window_.cursor(grid_), start + 5);
    grid_.attach_scrollback(nullptr);
    kernel::console::destroy_scrollback(history);
}

// Whatever mix of output (any bytes), bells, clears and view moves comes between two
// draws, the screen is the grid afterwards: the window's ring of row copies
// and the moved dirty flags never leave a stale cell.
TEST_F(TextWindowTest, RandomOutputAlwaysLeavesTheScreenAsTheGrid) {
    kernel::console::Scrollback* history = kernel::console::make_scrollback(300, kColumns);
    ASSERT_NE(history, nullptr);
    ASSERT_TRUE(grid_.attach_scrollback(history));
    u32 seed = 12345;
    auto next = [&seed](u32 bound) {
        seed = seed * 1103515245u + 12345u;
        return (seed >> 8) % bound;
    };
    for (u32 step = 0; step < 3000; ++step) {
        const u32 what = next(100);
        if (what < 70) {
            std::string text;
            const u32 pieces = 1 + next(4);
            // Printable runs across the row's end, newlines, and the bytes
            // the ASCII fast path leaves to the decoder: controls, UTF-8
            // (whole, cut short, stray), 0xFF.
            static const char* const kOthers[] = {
                "\t", "\r", "\b", "\x1b", "\xc3\xa9", "\xc3", "\xa9", "\xe2\x94\x80", "\xff"};
            for (u32 p = 0; p < pieces; ++p) {
                text += std::string(next(120), static_cast<char>('a' + next(26)));
                if (next(4) == 0) text += kOthers[next(sizeof kOthers / sizeof kOthers[0])];
                if (next(3) != 0) text += std::string(1 + next(30) / 10, '\n');
            }
            grid_.write(ktl::string_view(text.data(), text.size()));
        } else if (what < 78) {
            grid_.write("\a");
        } else if (what < 84) {
            (void)grid_.end_bell();
        } else if (what < 87) {
            grid_.set_colors(static_cast<Color>(next(16)), static_cast<Color>(next(8)));
            grid_.clear();
        } else if (what < 93) {
            grid_.move_view(kernel::console::ViewMove::PageBack);
        } else {
            grid_.move_view(kernel::console::ViewMove::Bottom);
        }
        if (next(3) == 0) {
            window_.draw(grid_);
            expect_screen_is_grid();
            if (HasFatalFailure()) FAIL() << "after step " << step;
        }
    }
    grid_.attach_scrollback(nullptr);
    kernel::console::destroy_scrollback(history);
}

}  // namespace
}  // namespace drivers::vga
