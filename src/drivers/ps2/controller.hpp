// The 8042 PS/2 controller: its two ports (keyboard, auxiliary/mouse),
// probed and set up with a timeout on every wait, since the FADT's "8042
// present" flag cannot be trusted either way (docs/input.md) and a missing
// controller reads 0xFF forever. The controller has no state here but its
// own; its owner is the PS/2 driver (ps2_input.hpp), which calls these
// from one CPU at a time (setup at boot, then under its service lock).
#pragma once

#include "arch/io.hpp"
#include "lib/ktl/string_view.hpp"
#include "lib/ktl/types.hpp"

namespace drivers::ps2 {

// What setup found; `problem` says in words why something is missing.
struct Setup {
    bool controller = false;
    bool keyboard = false;
    bool mouse = false;
    bool translated = false;   // the controller turns set 2 into set 1
    bool wheel = false;        // the mouse answered ID 3 (IntelliMouse)
    ktl::string_view problem;  // empty when all went well
    ktl::string_view mouse_problem;
};

// Probes, self-tests and tests the ports, resets and enables the keyboard
// and mouse, decides translation. IRQ bits in the controller are set for
// the working ports (harmless while the lines are masked).
Setup setup_controller();

// A byte waiting in the output buffer: true and `byte`/`aux` set.
[[nodiscard]] bool read_output(u8& byte, bool& aux);
// Sends a command byte to the keyboard if the controller's input buffer
// is empty now, else returns false at once: it never waits, so handlers
// may call it (the answer arrives in the byte stream).
[[nodiscard]] bool try_send_keyboard(u8 byte);

}  // namespace drivers::ps2
