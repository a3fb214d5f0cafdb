// The kernel console: one interface, two backends (VGA text mode in
// drivers/vga/vga_text.hpp, a linear framebuffer in framebuffer_console.hpp).
#pragma once

#include "lib/ktl/string_view.hpp"
#include "lib/ktl/types.hpp"

namespace kernel::console {

// The 16 colours in VGA attribute order, so a colour is its own 4-bit index.
enum class Color : u8 {
    Black,
    Blue,
    Green,
    Cyan,
    Red,
    Magenta,
    Brown,
    LightGray,
    DarkGray,
    LightBlue,
    LightGreen,
    LightCyan,
    LightRed,
    LightMagenta,
    Yellow,
    White,
};

// Moves of the screen's view through its scrollback.
enum class ViewMove : u8 {
    PageBack,     // Shift+PgUp: one page further back (clamped to the history)
    PageForward,  // Shift+PgDn: one page towards the bottom
    Bottom,       // back to the live screen (any other key)
};

class Console {
public:
    // Text is UTF-8; control characters '\n', '\r', '\t' and '\b' are
    // interpreted (see TextGrid for the exact rules). A backend that draws
    // slowly may only record the text and show it at a later present_pending()
    // (at most about a frame later while text keeps coming); VGA text is on
    // screen when write returns.
    virtual void write(ktl::string_view text) = 0;
    // Brings the screen up to date with everything written, now (a panic's
    // report, the shell about to wait for a key, the periodic tick). Cheap
    // when nothing waits to be shown; nothing at all for a backend whose
    // writes are already on screen.
    virtual void present_pending() {}
    // Colours for text written from now on (and for blank cells from clear
    // and scrolling); existing text keeps its colours.
    virtual void set_colors(Color fg, Color bg) = 0;
    // Blank the screen with the current background colour; cursor to 0,0.
    virtual void clear() = 0;
    [[nodiscard]] virtual ktl::string_view name() const = 0;
    // How many characters a row holds (a longer line wraps to the next).
    [[nodiscard]] virtual u32 columns() const = 0;

    // The scrollback (text_grid.hpp): rows that scrolled off the top, kept
    // in a ring from the heap. Gives the console `rows` rows of history;
    // false (and none) when the heap cannot hold them. `shown`: the text
    // the console has shown since it started (the log's history from then):
    // the rows it scrolled off before the ring existed go in first, so
    // Shift+PgUp reaches the start of the boot log (in the default colours:
    // the text carries none).
    virtual bool enable_scrollback(u32 rows, ktl::string_view shown) = 0;
    // Moves the view (and redraws); any later write returns it to the
    // bottom as well.
    virtual void move_view(ViewMove move) = 0;
    // '\a' shows the cursor's row inverted (TextGrid's visual bell): this
    // restores it and shows the result. Nothing when no bell shows.
    virtual void end_bell() = 0;

    Console(const Console&) = delete;
    Console& operator=(const Console&) = delete;

protected:
    Console() = default;
    // Protected and non-virtual: consoles are never deleted through this
    // interface, and the freestanding kernel has no operator delete for a
    // virtual destructor's deleting variant to call.
    ~Console() = default;
};

}  // namespace kernel::console
