// Batched presentation of the framebuffer console (docs/console.md,
// "Presenting"): the pacer's rule, writes that only update the grid, one
// pixel move for many scrolled lines, and the log's present calls,
// including the tick's try-lock that gives way to a holder of the lock.
#include <gtest/gtest.h>

#include <cstring>
#include <memory>
#include <string>
#include <vector>

#include "kernel/console/font.hpp"
#include "kernel/console/frame_pacer.hpp"
#include "kernel/console/framebuffer_console.hpp"
#include "kernel/log/log.hpp"

namespace kernel::console {
namespace {

constexpr u64 kMs = 1'000'000;

TEST(FramePacer, WithoutAClockEveryChangeIsPresented) {
    FramePacer pacer;
    for (int i = 0; i < 3; ++i) {
        EXPECT_TRUE(pacer.changed(0));
        pacer.presented(0);
    }
    EXPECT_EQ(pacer.presents(), 3u);
}

TEST(FramePacer, PresentsAtMostOncePerFrameWhileChangesKeepComing) {
    FramePacer pacer;
    EXPECT_FALSE(pacer.pending());
    // The first change after a quiet spell is shown at once...
    EXPECT_TRUE(pacer.changed(100 * kMs));
    pacer.presented(100 * kMs);
    EXPECT_FALSE(pacer.pending());
    // ...later ones within the frame wait, and are pending.
    EXPECT_FALSE(pacer.changed(101 * kMs));
    EXPECT_FALSE(pacer.changed(109 * kMs));
    EXPECT_TRUE(pacer.pending());
    // A frame after the last present, the writer presents itself.
    EXPECT_TRUE(pacer.changed(110 * kMs));
    pacer.presented(110 * kMs);
    EXPECT_FALSE(pacer.pending());
    // A present by someone else (the tick) restarts the frame.
    EXPECT_FALSE(pacer.changed(115 * kMs));
    pacer.presented(116 * kMs);
    EXPECT_FALSE(pacer.changed(125 * kMs));
    EXPECT_TRUE(pacer.changed(126 * kMs));
    EXPECT_EQ(pacer.presents(), 3u);
}

// A framebuffer in RAM (xrgb8888) and a fake clock the console reads.
u64 g_now = 0;
u64 fake_clock() { return g_now; }

struct Screen {
    Screen(u32 columns, u32 rows)
        : width(columns * kTerminusFont.glyph_width),
          height(rows * kTerminusFont.glyph_height),
          pixels(static_cast<usize>(width) * height * 4, 0) {
        const FramebufferInfo info{pixels.data(), width * 4, width, height, 32, 16, 8, 8, 8, 0, 8};
        console = std::make_unique<FramebufferConsole>(info, kTerminusFont);
        console->set_frame_clock(fake_clock);
        // As the kernel draws once the heap works (framebuffer_shadow_test.cpp
        // covers the console without one).
        shadow.resize(console->shadow_bytes());
        EXPECT_TRUE(console->attach_shadow({shadow.data(), shadow.size()}));
    }
    u32 width, height;
    std::vector<u8> pixels;
    std::vector<u8> shadow;
    std::unique_ptr<FramebufferConsole> console;
};

// The same screen twice, given the same text: one batching its presents
// (the default), one drawing every write, the reference it must end equal to.
struct Twins {
    Twins(u32 columns, u32 rows) : batched(columns, rows), immediate(columns, rows) {
        immediate.console->set_batching(false);
    }
    void write(ktl::string_view text) const {
        batched.console->write(text);
        immediate.console->write(text);
    }
    Screen batched;
    Screen immediate;
};

// Line n of a burst: every row differs from its neighbours.
struct Line {
    std::string text;
    operator ktl::string_view() const { return {text.data(), text.size()}; }  // NOLINT
};
Line line(u32 n, u32 columns) {
    std::string text = std::to_string(n) + ":";
    while (text.size() < columns) text += static_cast<char>('!' + (n * 7 + text.size()) % 90);
    return {text + "\n"};
}

TEST(FramebufferConsolePresent, WritesWithinAFrameOnlyUpdateTheGrid) {
    g_now = 1000 * kMs;
    Screen screen(8, 4);
    FramebufferConsole& fb = *screen.console;
    fb.write("a");  // the first write after a quiet spell: drawn at once
    const u64 presents = fb.presents();
    const u64 cells = fb.cells_rendered();
    const std::vector<u8> before = screen.pixels;
    g_now += 2 * kMs;
    fb.write("bcd\nefg");
    EXPECT_TRUE(fb.waiting_to_present());
    EXPECT_EQ(fb.presents(), presents);
    EXPECT_EQ(fb.cells_rendered(), cells);
    EXPECT_EQ(screen.pixels, before) << "a write within the frame drew pixels";
    EXPECT_EQ(fb.grid().at(0, 1).ch, 'e');  // the grid has it already
    fb.present_pending();
    EXPECT_FALSE(fb.waiting_to_present());
    EXPECT_EQ(fb.presents(), presents + 1);
    EXPECT_NE(screen.pixels, before);
    // Nothing pending: a present draws nothing.
    const u64 drawn = fb.cells_rendered();
    fb.present_pending();
    EXPECT_EQ(fb.presents(), presents + 1);
    EXPECT_EQ(fb.cells_rendered(), drawn);
}

TEST(FramebufferConsolePresent, ABusyWriterPresentsOnceAFrameHasPassed) {
    g_now = 1000 * kMs;
    Screen screen(8, 4);
    FramebufferConsole& fb = *screen.console;
    fb.write("x");
    const u64 presents = fb.presents();
    g_now += 9 * kMs;
    fb.write("y");
    EXPECT_EQ(fb.presents(), presents);
    g_now += 1 * kMs;  // a whole frame since the last present
    fb.write("z");
    EXPECT_EQ(fb.presents(), presents + 1);
    EXPECT_FALSE(fb.waiting_to_present());
}

// Many lines scrolled between two presents: one move of the pixels by
// all of them, then only the rows that changed are drawn; the screen ends
// bit for bit as a console that drew every write shows it.
TEST(FramebufferConsolePresent, ManyScrolledLinesAreOneMove) {
    g_now = 1000 * kMs;
    constexpr u32 kColumns = 8;
    constexpr u32 kRows = 10;
    Twins twins(kColumns, kRows);
    Screen& batched = twins.batched;
    Screen& immediate = twins.immediate;
    for (Screen* s : {&batched, &immediate}) {
        s->console->set_cursor_visible(false);
        for (u32 n = 0; n < kRows; ++n) s->console->write(line(n, kColumns));
    }
    g_now += 100 * kMs;
    batched.console->write("");  // a present after a quiet spell
    immediate.console->write("");
    const u64 moves = batched.console->pixel_moves();
    const u64 cells = batched.console->cells_rendered();
    g_now += 1 * kMs;
    for (u32 n = kRows; n < kRows + 6; ++n) {
        twins.write(line(n, kColumns));
    }
    EXPECT_EQ(batched.console->pixel_moves(), moves);  // not yet presented
    batched.console->present_pending();
    EXPECT_EQ(batched.console->pixel_moves(), moves + 1);
    // The six new rows, nothing else.
    EXPECT_EQ(batched.console->cells_rendered() - cells, 6u * kColumns);
    EXPECT_EQ(immediate.console->pixel_moves(), moves + 6);
    EXPECT_EQ(batched.pixels, immediate.pixels);
}

// More lines than the screen holds between two presents: no move (nothing
// that was on screen stays), every row drawn once.
TEST(FramebufferConsolePresent, MoreThanAScreenfulIsOneRedrawWithoutAMove) {
    g_now = 1000 * kMs;
    constexpr u32 kColumns = 8;
    constexpr u32 kRows = 4;
    Twins twins(kColumns, kRows);
    Screen& batched = twins.batched;
    Screen& immediate = twins.immediate;
    twins.write("start");
    const u64 moves = batched.console->pixel_moves();
    const u64 cells = batched.console->cells_rendered();
    g_now += 1 * kMs;
    for (u32 n = 0; n < 50; ++n) {
        twins.write(line(n, kColumns));
    }
    batched.console->present_pending();
    EXPECT_EQ(batched.console->pixel_moves(), moves);
    // At most every cell once, plus the cursor taken off and drawn again.
    EXPECT_LE(batched.console->cells_rendered() - cells, u64{kColumns} * kRows + 2);
    EXPECT_EQ(batched.pixels, immediate.pixels);
}

// A burst of 500 lines at a line every 50 us (25 ms in all): the screen is
// drawn a handful of times, not 500, and ends right.
TEST(FramebufferConsolePresent, ABurstIsPresentedAboutOncePerFrame) {
    g_now = 1000 * kMs;
    constexpr u32 kColumns = 16;
    constexpr u32 kRows = 12;
    Twins twins(kColumns, kRows);
    Screen& batched = twins.batched;
    Screen& immediate = twins.immediate;
    const u64 start = batched.console->presents();
    for (u32 n = 0; n < 500; ++n) {
        g_now += 50'000;
        twins.write(line(n, kColumns));
    }
    batched.console->present_pending();
    // 25 ms: the first line at once, then one present per 10 ms frame, and
    // the final one.
    EXPECT_LE(batched.console->presents() - start, 4u);
    EXPECT_EQ(batched.pixels, immediate.pixels);
}

// Clear and view moves are immediate: they answer a key.
TEST(FramebufferConsolePresent, ClearIsDrawnAtOnce) {
    g_now = 1000 * kMs;
    Screen screen(8, 4);
    FramebufferConsole& fb = *screen.console;
    fb.write("x");
    g_now += 1 * kMs;
    fb.write("abc");
    EXPECT_TRUE(fb.waiting_to_present());
    fb.clear();
    EXPECT_FALSE(fb.waiting_to_present());
    u32 lit = 0;
    for (usize i = 0; i + 4 <= screen.pixels.size(); i += 4) {
        u32 value = 0;
        std::memcpy(&value, &screen.pixels[i], 4);
        if (value != fb.pixel_value(Color::Black)) ++lit;
    }
    // Only the cursor's underline at 0,0 is not background.
    EXPECT_EQ(lit, kTerminusFont.glyph_width * 2);
}

}  // namespace
}  // namespace kernel::console

// The log's side: present_screens() and the tick's try_present_screens().
namespace {

namespace log = kernel::log;

class PresentSink final : public log::Sink {
public:
    void write(ktl::string_view text) override {
        text_.append(text.data(), text.size());
        // An interrupt arriving while this CPU holds the log's lock (in the
        // middle of a line): the tick's present must give way, not wait.
        if (try_from_inside) tried_inside = log::try_present_screens();
    }
    void present_screen() override { ++presents; }

    std::string text_;
    int presents = 0;
    bool try_from_inside = false;
    bool tried_inside = true;
};

TEST(LogPresent, TheTickPresentsWhenTheLockIsFreeAndGivesWayWhenHeld) {
    PresentSink sink;
    log::add_sink(sink);
    EXPECT_TRUE(log::try_present_screens());
    EXPECT_EQ(sink.presents, 1);
    log::present_screens();
    EXPECT_EQ(sink.presents, 2);
    sink.try_from_inside = true;
    log::write_to(sink, "held");
    sink.try_from_inside = false;
    EXPECT_FALSE(sink.tried_inside);
    EXPECT_EQ(sink.presents, 2);
    log::remove_sink(sink);
}

TEST(LogPresent, WarningsAndErrorsArePresentedAtOnceInfoWaits) {
    PresentSink sink;
    log::add_sink(sink);
    log::info("an info line");
    EXPECT_EQ(sink.presents, 0);
    log::warn("a warning");
    EXPECT_EQ(sink.presents, 1);
    log::error("an error");
    EXPECT_EQ(sink.presents, 2);
    log::remove_sink(sink);
}

}  // namespace
