#include "kernel/console/text_grid.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace kernel::console {
namespace {

class TextGridTest : public ::testing::Test {
protected:
    static constexpr u32 kColumns = 10;
    static constexpr u32 kRows = 4;

    Cell storage_[kColumns * kRows];
    TextGrid grid_{ktl::span<Cell>(storage_), kColumns, kRows};

    std::string row_text(u32 row) const {
        std::string text;
        for (Cell cell : grid_.row(row)) text += static_cast<char>(cell.ch);
        return text;
    }
    void expect_cursor(u32 column, u32 row) const {
        EXPECT_EQ(grid_.cursor_column(), column);
        EXPECT_EQ(grid_.cursor_row(), row);
    }
    std::vector<u32> take_dirty() {
        std::vector<u32> rows;
        grid_.for_each_dirty_row([&](u32 row) { rows.push_back(row); });
        return rows;
    }
};

// The visual bell ('\a'): the cursor's row inverted, nothing else, until
// end_bell() restores every cell's own colours.
TEST_F(TextGridTest, ABellInvertsTheCursorsRowUntilEnded) {
    grid_.write("top\n");
    grid_.set_colors(Color::White, Color::Blue);
    grid_.write("ab");
    grid_.set_colors(Color::LightGray, Color::Black);
    grid_.write("c");
    (void)take_dirty();
    std::vector<u8> before;
    for (Cell cell : grid_.row(1)) before.push_back(cell.attr);

    grid_.write("\a");
    EXPECT_TRUE(grid_.bell_showing());
    EXPECT_EQ(grid_.bells(), 1u);
    EXPECT_EQ(take_dirty(), (std::vector<u32>{1}));
    EXPECT_EQ(row_text(1), "abc       ");  // the text stays
    expect_cursor(3, 1);
    EXPECT_EQ(grid_.at(0, 1).attr, make_attribute(Color::Blue, Color::White) & 0x7F);
    EXPECT_EQ(grid_.at(2, 1).attr, make_attribute(Color::Black, Color::LightGray));
    EXPECT_EQ(grid_.at(0, 0).attr, make_attribute(Color::LightGray, Color::Black));

    EXPECT_TRUE(grid_.end_bell());
    EXPECT_FALSE(grid_.bell_showing());
    EXPECT_EQ(take_dirty(), (std::vector<u32>{1}));
    for (u32 c = 0; c < kColumns; ++c) EXPECT_EQ(grid_.at(c, 1).attr, before[c]) << c;
    EXPECT_FALSE(grid_.end_bell());  // nothing left to end
}

// Inverted white on black must not become blinking: bit 7 of a VGA
// attribute is blink (or a bright background) and stays clear.
TEST_F(TextGridTest, ABellNeverSetsTheBlinkBit) {
    grid_.set_colors(Color::White, Color::Black);
    grid_.write("x\a");
    EXPECT_EQ(grid_.at(0, 0).attr & 0x80, 0);
    EXPECT_EQ(grid_.at(0, 0).attr, make_attribute(Color::Black, Color::LightGray));
}

// Text after a bell ends it first, so new cells get their own colours and
// a newline's scroll never carries an inverted row away.
TEST_F(TextGridTest, TextAfterABellEndsItFirst) {
    grid_.write("a\a");
    ASSERT_TRUE(grid_.bell_showing());
    grid_.write("b");
    EXPECT_FALSE(grid_.bell_showing());
    EXPECT_EQ(grid_.at(0, 0).attr, TextGrid::kDefaultAttribute);
    EXPECT_EQ(grid_.at(1, 0).attr, TextGrid::kDefaultAttribute);

    grid_.write("c\ad");  // in one write: the letter after the bell ends it too
    EXPECT_FALSE(grid_.bell_showing());
    EXPECT_EQ(grid_.bells(), 2u);
    for (u32 c = 0; c < 4; ++c) EXPECT_EQ(grid_.at(c, 0).attr, TextGrid::kDefaultAttribute) << c;

    grid_.write("\n\n\n\a\nafter");  // rings on the last row, then scrolls
    EXPECT_FALSE(grid_.bell_showing());
    EXPECT_EQ(grid_.bells(), 3u);
    for (u32 r = 0; r < kRows; ++r)
        for (u32 c = 0; c < kColumns; ++c)
            EXPECT_EQ(grid_.at(c, r).attr, TextGrid::kDefaultAttribute) << c << "," << r;
}

TEST_F(TextGridTest, ClearEndsABell) {
    grid_.write("a\a");
    grid_.clear();
    EXPECT_FALSE(grid_.bell_showing());
    EXPECT_EQ(grid_.at(0, 0).attr, TextGrid::kDefaultAttribute);
}

TEST_F(TextGridTest, StartsBlankWithDefaultColoursAndAllRowsDirty) {
    EXPECT_EQ(grid_.columns(), kColumns);
    EXPECT_EQ(grid_.rows(), kRows);
    expect_cursor(0, 0);
    for (u32 r = 0; r < kRows; ++r) {
        EXPECT_EQ(row_text(r), "          ");
        EXPECT_EQ(grid_.at(0, r).attr, make_attribute(Color::LightGray, Color::Black));
    }
    EXPECT_EQ(take_dirty(), (std::vector<u32>{0, 1, 2, 3}));
    EXPECT_FALSE(grid_.any_dirty());
}

TEST_F(TextGridTest, PrintableCharactersAdvanceTheCursor) {
    grid_.write("abc");
    EXPECT_EQ(row_text(0), "abc       ");
    expect_cursor(3, 0);
}

TEST_F(TextGridTest, NewlineReturnsToColumnZeroOnNextRow) {
    grid_.write("ab\ncd");
    EXPECT_EQ(row_text(0), "ab        ");
    EXPECT_EQ(row_text(1), "cd        ");
    expect_cursor(2, 1);
}

TEST_F(TextGridTest, CarriageReturnOverwritesTheLine) {
    grid_.write("hello\rJ");
    EXPECT_EQ(row_text(0), "Jello     ");
    expect_cursor(1, 0);
}

TEST_F(TextGridTest, TabMovesToNextMultipleOfEightWithoutErasing) {
    grid_.write("xxxxxxxxxx");  // fills row 0, wrap pending
    grid_.write("\rab\tc");
    EXPECT_EQ(row_text(0), "abxxxxxxcx");
    expect_cursor(9, 0);
    grid_.write("\r\t\t");  // no stop left on the row: park in the last column
    expect_cursor(9, 0);
    grid_.write("d");  // and the next character wraps
    EXPECT_EQ(row_text(1), "d         ");
}

TEST_F(TextGridTest, BackspaceMovesBackWithoutErasingAndStopsAtColumnZero) {
    grid_.write("abc\b");
    expect_cursor(2, 0);
    EXPECT_EQ(row_text(0), "abc       ");
    grid_.write("\bX");
    EXPECT_EQ(row_text(0), "aXc       ");
    grid_.write("\b\b\b\b");
    expect_cursor(0, 0);
    grid_.write("\nq\b\b");  // never back onto the previous line
    expect_cursor(0, 1);
}

TEST_F(TextGridTest, BackspaceAfterFullLineStepsToLastColumn) {
    grid_.write("0123456789\bZ");
    EXPECT_EQ(row_text(0), "012345678Z");
    EXPECT_EQ(row_text(1), "          ");
}

TEST_F(TextGridTest, WrapsAtTheRightEdgeOnlyWhenMoreTextArrives) {
    grid_.write("0123456789");
    expect_cursor(9, 0);  // wrap pending: a full line plus '\n' is one line
    grid_.write("\n");
    expect_cursor(0, 1);
    grid_.write("abcdefghijKL");
    EXPECT_EQ(row_text(1), "abcdefghij");
    EXPECT_EQ(row_text(2), "KL        ");
    expect_cursor(2, 2);
}

TEST_F(TextGridTest, ScrollsWhenTheCursorPassesTheLastRow) {
    grid_.write("r0\nr1\nr2\nr3");
    take_dirty();
    grid_.set_colors(Color::White, Color::Blue);
    grid_.write("\nr4");
    EXPECT_EQ(row_text(0), "r1        ");
    EXPECT_EQ(row_text(1), "r2        ");
    EXPECT_EQ(row_text(2), "r3        ");
    EXPECT_EQ(row_text(3), "r4        ");
    expect_cursor(2, 3);
    // The new row is blanked with the current colours; moved rows keep theirs.
    EXPECT_EQ(grid_.at(9, 3).attr, make_attribute(Color::White, Color::Blue));
    EXPECT_EQ(grid_.at(9, 2).attr, make_attribute(Color::LightGray, Color::Black));
    EXPECT_EQ(take_dirty(), (std::vector<u32>{0, 1, 2, 3}));
}

// A backend that follows scrolls (take_scrolled(), then moves its copy) is
// left only the rows whose text changed: the dirty flags move with the rows.
TEST_F(TextGridTest, DirtyFlagsMoveUpWithTheRowsOnceScrollsAreCounted) {
    grid_.write("r0\nr1\nr2\nr3");
    take_dirty();
    EXPECT_EQ(grid_.take_scrolled(), TextGrid::kNotAScroll);  // the constructor's clear
    grid_.write("!\nr4");  // row 3 changed, then moved up to row 2
    EXPECT_EQ(grid_.take_scrolled(), 1u);
    EXPECT_EQ(row_text(2), "r3!       ");
    EXPECT_EQ(take_dirty(), (std::vector<u32>{2, 3}));
    grid_.write("\n\n\n\n\nend");  // more scrolls than rows: every row is new
    EXPECT_EQ(grid_.take_scrolled(), 5u);
    EXPECT_EQ(take_dirty(), (std::vector<u32>{0, 1, 2, 3}));
    // A clear is no scroll: every row is dirty and scrolls are not counted
    // until the backend has seen it.
    grid_.clear();
    grid_.write("a\nb\nc\nd\ne");
    EXPECT_EQ(take_dirty(), (std::vector<u32>{0, 1, 2, 3}));
    EXPECT_EQ(grid_.take_scrolled(), TextGrid::kNotAScroll);
}

TEST_F(TextGridTest, WrapOnTheLastRowScrolls) {
    grid_.write("\n\n\n0123456789x");
    EXPECT_EQ(row_text(2), "0123456789");
    EXPECT_EQ(row_text(3), "x         ");
}

TEST_F(TextGridTest, ColoursApplyToTextWrittenAfterwards) {
    grid_.write("a");
    grid_.set_colors(Color::Yellow, Color::Red);
    grid_.write("b");
    EXPECT_EQ(grid_.attribute(), 0x4E);
    EXPECT_EQ(grid_.at(0, 0).attr, 0x07);
    EXPECT_EQ(grid_.at(1, 0), (Cell{'b', 0x4E}));
    EXPECT_EQ(foreground_of(0x4E), Color::Yellow);
    EXPECT_EQ(background_of(0x4E), Color::Red);
}

TEST_F(TextGridTest, DirtyTrackingReportsOnlyChangedRows) {
    take_dirty();
    grid_.write("a\n\nb");
    EXPECT_TRUE(grid_.row_dirty(0));
    EXPECT_FALSE(grid_.row_dirty(1));  // crossed by the cursor, not written
    EXPECT_EQ(take_dirty(), (std::vector<u32>{0, 2}));
    EXPECT_FALSE(grid_.any_dirty());
    grid_.write("\r\t\b");  // cursor movement alone dirties nothing
    EXPECT_FALSE(grid_.any_dirty());
    grid_.mark_all_dirty();
    EXPECT_EQ(take_dirty().size(), kRows);
}

TEST_F(TextGridTest, ClearBlanksWithCurrentColoursAndHomesTheCursor) {
    grid_.write("abc\ndef");
    take_dirty();
    grid_.set_colors(Color::Black, Color::Cyan);
    grid_.clear();
    expect_cursor(0, 0);
    for (u32 r = 0; r < kRows; ++r)
        for (u32 c = 0; c < kColumns; ++c) EXPECT_EQ(grid_.at(c, r), (Cell{' ', 0x30}));
    EXPECT_EQ(take_dirty().size(), kRows);
}

TEST_F(TextGridTest, Utf8MapsToCodePage437) {
    grid_.write("\xC3\xA9");          // U+00E9 e acute
    grid_.write("\xE2\x94\x80");      // U+2500 box drawing horizontal
    grid_.write("\xE2\x98\xBA");      // U+263A smiley, CP437 0x01
    grid_.write("\xC2\xA0");          // U+00A0 no-break space
    grid_.write("\xE2\x82\xAC");      // U+20AC euro sign: not in CP437
    grid_.write("\xF0\x9F\x98\x80");  // U+1F600: not in CP437
    EXPECT_EQ(grid_.at(0, 0).ch, 0x82);
    EXPECT_EQ(grid_.at(1, 0).ch, 0xC4);
    EXPECT_EQ(grid_.at(2, 0).ch, 0x01);
    EXPECT_EQ(grid_.at(3, 0).ch, 0xFF);
    EXPECT_EQ(grid_.at(4, 0).ch, '?');
    EXPECT_EQ(grid_.at(5, 0).ch, '?');
    expect_cursor(6, 0);
}

TEST_F(TextGridTest, Utf8SequenceSplitAcrossWrites) {
    grid_.write("\xE2\x94");
    expect_cursor(0, 0);
    grid_.write("\x82!");  // U+2502 light vertical, CP437 0xB3
    EXPECT_EQ(grid_.at(0, 0).ch, 0xB3);
    EXPECT_EQ(grid_.at(1, 0).ch, '!');
}

TEST_F(TextGridTest, MalformedUtf8ShowsAsQuestionMarks) {
    grid_.write("\x80");          // stray continuation byte
    grid_.write("\xC0\xAF");      // overlong '/'
    grid_.write("\xED\xA0\x80");  // UTF-16 surrogate
    grid_.write("\xE2\x94Z");     // truncated by an ASCII byte, which survives
    grid_.write("\xFF");
    EXPECT_EQ(row_text(0), "????Z?    ");
}

TEST_F(TextGridTest, OtherControlCharactersAreDropped) {
    grid_.write(
        ktl::string_view("a\x00\x01\x1b\x7f"
                         "b",
                         6));
    grid_.write(
        "\xC2\x85"
        "c");  // C1 NEL
    EXPECT_EQ(row_text(0), "abc       ");
}

TEST_F(TextGridTest, PutDrawsAnyByteLiterally) {
    grid_.put('\n');
    grid_.put(0xDB);
    EXPECT_EQ(grid_.at(0, 0).ch, '\n');
    EXPECT_EQ(grid_.at(1, 0).ch, 0xDB);
    expect_cursor(2, 0);
}

TEST(TextGridStorage, RowsAreLimitedByStorage) {
    Cell storage[25];
    TextGrid grid(ktl::span<Cell>(storage), 10, 4);
    EXPECT_EQ(grid.columns(), 10u);
    EXPECT_EQ(grid.rows(), 2u);
    grid.write("0123456789abcdefghijXY");  // scrolls within 2 rows
    EXPECT_EQ(grid.at(0, 0).ch, 'a');
    EXPECT_EQ(grid.at(0, 1).ch, 'X');
}

TEST(TextGridStorage, EmptyGridIgnoresEverything) {
    TextGrid grid(ktl::span<Cell>(), 80, 25);
    EXPECT_EQ(grid.columns(), 0u);
    EXPECT_EQ(grid.rows(), 0u);
    grid.write("hello\n\t\b\r");
    grid.put('x');
    grid.clear();
    EXPECT_FALSE(grid.any_dirty());
}

TEST(TextGridCp437, ToCp437) {
    EXPECT_EQ(to_cp437('A'), 'A');
    EXPECT_EQ(to_cp437(0x00C7), 0x80);
    EXPECT_EQ(to_cp437(0x2302), 0x7F);
    EXPECT_EQ(to_cp437(0x2588), 0xDB);
    EXPECT_EQ(to_cp437(0x0100), '?');
}

}  // namespace
}  // namespace kernel::console
