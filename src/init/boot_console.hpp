// Picks the screen console from what the loader reported: an EGA text
// framebuffer (or none, on BIOS) means VGA text mode; an RGB framebuffer
// means the bitmap-font framebuffer console; otherwise serial only.
#pragma once

#include "boot/params.hpp"
#include "kernel/console/console.hpp"
#include "kernel/console/framebuffer_console.hpp"
#include "kernel/log/sink.hpp"
#include "kernel/options/kernel_options.hpp"
#include "lib/format/buffer.hpp"

namespace init {

struct ConsoleChoice {
    kernel::console::Console* console{};  // null: no screen, serial only
    ktl::string_view why;                 // shown in the boot log
};

// Sets up the chosen console (it becomes a log sink as well). It draws
// through the boot page tables' identity map.
ConsoleChoice start_boot_console(const boot::Framebuffer& fb, kernel::options::Console requested);

// The screen for a panic about boot information that names no framebuffer:
// VGA text, which a BIOS leaves on (on UEFI the writes go nowhere).
ConsoleChoice start_fallback_console();

// Gives the screen its scrollback from the heap (kScrollbackRows rows) and
// says so in the log. Runs right after the Heap phase, while the boot CPU
// is the only one drawing and interrupts are off (the console's owner is
// the log's lock, which this cannot take across an allocation).
void start_screen_scrollback();

// Gives the framebuffer console its pixel shadow in RAM (docs/console.md,
// "Never reading the framebuffer"): from the heap, unless it would take
// more than 1/8 of the free RAM; attached under the log's lock. Runs after
// the Heap phase and the framebuffer's remap. Puts the end of the log line
// about the framebuffer in `text`: "drawn through a 3072 KiB shadow", or
// "drawn directly" and why; nothing when the screen is not the framebuffer.
void start_screen_shadow(kfmt::Buffer<128>& text);

// The framebuffer console when it is the screen (bench=console), else null.
[[nodiscard]] kernel::console::FramebufferConsole* framebuffer_console();

// The screen as a log sink, for the shell's screen side (null: no screen).
[[nodiscard]] kernel::log::Sink* screen_sink();

// Points the console at its memory's address in the direct map: runs right
// after paging switches to the kernel's own tables (which have no identity
// map), before anything is logged.
void relocate_boot_console_to_direct_map();

}  // namespace init
