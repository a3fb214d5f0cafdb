// Where log text goes: serial, the 0xE9 console, the screen.
#pragma once

#include "lib/ktl/string_view.hpp"
#include "lib/ktl/types.hpp"

namespace kernel::log {

// How text looks: each sink shows a style its own way (ANSI colours on
// serial, attributes on the screen) or not at all.
enum class Style : u8 {
    Normal,
    Debug,    // debug lines: dimmed
    Warning,  // yellow
    Error,    // red
    Good,     // green: "ready"
    Prompt,   // the shell's prompt
    Input,    // what the user types at it
};

// Moves of a screen's view through its scrollback (a terminal on serial
// has its own).
enum class ViewMove : u8 { PageBack, PageForward, Bottom };

class Sink {
public:
    virtual void write(ktl::string_view text) = 0;
    // Called once when the kernel panics: a screen switches to panic colours.
    virtual void begin_panic() {}
    // Text written from now on has `style` (until the next call).
    virtual void set_style(Style style) { (void)style; }
    // Blanks the screen (or the terminal), cursor to the top left.
    virtual void clear_screen() {}
    // The bell (the shell refusing a key): a terminal's own '\a'; a screen
    // shows a visual one instead.
    virtual void bell() { write("\a"); }
    // Pages a screen's view through its scrollback (Shift+PgUp/PgDn), or
    // returns it to the bottom; nothing for a sink without one.
    virtual void move_view(ViewMove move) { (void)move; }
    // A screen that batches its drawing (the framebuffer) shows everything
    // written so far; cheap when nothing waits, nothing for a sink whose
    // writes are already out.
    virtual void present_screen() {}
    // Returns once what was written has left the device (a UART's transmit
    // FIFO and shift register empty), or a bounded time passed; nothing for
    // a sink whose writes are out when write() returns.
    virtual void flush() {}
    // How many characters fit on a row before the text wraps: a screen's
    // grid. A terminal on serial cannot be asked, so 80, the width a VT100
    // and most terminal windows start with.
    [[nodiscard]] virtual u32 columns() const { return 80; }

protected:
    ~Sink() = default;  // sinks are static objects, never deleted through this
};

}  // namespace kernel::log
