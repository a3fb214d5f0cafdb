// The console in VGA text mode (80x25, 16 colours), as left by the BIOS or a
// Multiboot loader that did not set a graphics mode.
#pragma once

#include "kernel/console/console.hpp"
#include "kernel/console/text_grid.hpp"
#include "lib/ktl/types.hpp"

namespace drivers {

class VgaTextConsole final : public kernel::console::Console {
public:
    static constexpr u32 kColumns = 80;
    static constexpr u32 kRows = 25;

    // memory: where the kernel maps physical 0xB8000 (the colour text
    // buffer). Clears the screen, enables a two-line underline cursor and
    // turns the attribute blink bit into a bright-background bit, so all 16
    // background colours work as they do on the framebuffer.
    explicit VgaTextConsole(volatile u16* memory);

    // Whether a VGA answers at the colour text ports (its CRT controller
    // keeps what is written to it): for loaders that describe no screen.
    [[nodiscard]] static bool present();

    void write(ktl::string_view text) override;
    void set_colors(kernel::console::Color fg, kernel::console::Color bg) override;
    void clear() override;
    // The same VGA memory at another virtual address (the direct map).
    void relocate(volatile u16* memory) { memory_ = memory; }
    [[nodiscard]] ktl::string_view name() const override { return "vga-text"; }
    bool enable_scrollback(u32 rows) override;
    void move_view(kernel::console::ViewMove move) override;

private:
    void flush();
    void move_cursor(u16 position);

    volatile u16* memory_;
    // The authoritative text, and a copy of what VGA memory holds.
    kernel::console::Cell cells_[kColumns * kRows];
    kernel::console::Cell shown_[kColumns * kRows];
    kernel::console::TextGrid grid_;
    bool redraw_all_ = true;        // VGA memory still holds the loader's text
    u16 cursor_position_ = 0xFFFF;  // last value written to the CRTC
};

}  // namespace drivers
