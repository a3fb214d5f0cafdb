// Picks the screen console from what the loader reported: an EGA text
// framebuffer (or none, on BIOS) means VGA text mode; an RGB framebuffer
// means the bitmap-font framebuffer console; otherwise serial only.
#pragma once

#include "kernel/boot/kernel_options.hpp"
#include "kernel/boot/multiboot2/boot_info.hpp"
#include "kernel/console/console.hpp"

namespace arch {

struct ConsoleChoice {
    kernel::console::Console* console;  // null: no screen, serial only
    ktl::string_view why;               // shown in the boot log
};

// Sets up the chosen console (it becomes a log sink as well). It draws
// through the boot page tables' identity map.
ConsoleChoice start_boot_console(const boot::multiboot2::BootInfo& info, boot::Console requested);

// Points the console at its memory's address in the direct map. Called by
// paging::init right after the switch to the kernel's own tables, which
// have no identity map, before anything is logged.
void relocate_boot_console_to_direct_map();

}  // namespace arch
