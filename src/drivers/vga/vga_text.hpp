// The console in VGA text mode (80x25, 16 colours), as left by the BIOS or a
// Multiboot loader that did not set a graphics mode.
#pragma once

#include "drivers/vga/text_window.hpp"
#include "kernel/console/console.hpp"
#include "kernel/console/text_grid.hpp"
#include "lib/ktl/types.hpp"

namespace drivers {

class VgaTextConsole final : public kernel::console::Console {
public:
    static constexpr u32 kColumns = vga::kColumns;
    static constexpr u32 kRows = vga::kRows;

    // memory: where the kernel maps physical 0xB8000 (the colour text
    // window, all 32 KiB of it: the console scrolls through it, see
    // text_window.hpp). Clears the screen, puts the start address at 0,
    // enables a two-line underline cursor and turns the attribute blink bit
    // into a bright-background bit, so all 16 background colours work as
    // they do on the framebuffer.
    explicit VgaTextConsole(volatile u16* memory);

    // Whether a VGA answers at the colour text ports (its CRT controller
    // keeps what is written to it): for loaders that describe no screen.
    [[nodiscard]] static bool present();

    void write(ktl::string_view text) override;
    void set_colors(kernel::console::Color fg, kernel::console::Color bg) override;
    void clear() override;
    // The same VGA memory at another virtual address (the direct map).
    void relocate(volatile u16* memory) { window_.relocate(memory); }
    [[nodiscard]] ktl::string_view name() const override { return "vga-text"; }
    [[nodiscard]] u32 columns() const override { return kColumns; }
    bool enable_scrollback(u32 rows, ktl::string_view shown) override;
    void move_view(kernel::console::ViewMove move) override;
    void end_bell() override;

private:
    void flush();
    void set_start(u16 start);
    void move_cursor(u16 position);

    // The authoritative text; the window knows what VGA memory holds.
    kernel::console::Cell cells_[kColumns * kRows];
    kernel::console::TextGrid grid_;
    vga::TextWindow window_;
    u16 start_ = 0xFFFF;  // last values written to the CRTC
    u16 cursor_position_ = 0xFFFF;
};

}  // namespace drivers
