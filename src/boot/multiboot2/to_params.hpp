// Multiboot2's BootInfo turned into the kernel's neutral BootParams.
#pragma once

#include "boot/multiboot2/boot_info.hpp"
#include "boot/params.hpp"

namespace boot::multiboot2 {

// Fills `out` (cleared first) from a successfully parsed `info`.
void to_params(const BootInfo& info, BootParams& out);
// Only the framebuffer, from an `info` whose parse failed: a framebuffer
// tag decoded before the error is still the screen to panic on.
void framebuffer_to_params(const BootInfo& info, BootParams& out);

}  // namespace boot::multiboot2
