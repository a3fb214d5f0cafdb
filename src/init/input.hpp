// The Input phase's work: the PS/2 keyboard and mouse and COM1's receive
// side set up and feeding the input queue, by interrupt where the
// Interrupts phase can install handlers, else polled by the idle loop.
#pragma once

#include "drivers/serial/uart16550.hpp"
#include "lib/ktl/string_view.hpp"

namespace init {

// `keymap`: the keymap= option (empty: the default map). `interrupts`:
// whether the Interrupts phase has run (irq::install_isa may work).
void start_input(drivers::Serial16550& com1, ktl::string_view keymap, bool interrupts);

// Where a user can type, as start_input found it: a PS/2 keyboard, COM1.
struct InputSources {
    bool keyboard = false;
    bool serial = false;
};
[[nodiscard]] InputSources input_sources();
// The devices without an installed handler, read once; cheap when idle.
void poll_input();
// Whether a device's input is polled (its interrupt could not be installed):
// then only the tick wakes a halted CPU to look.
[[nodiscard]] bool input_polled();

// The end of boot until the shell takes over: polls the devices that have
// no interrupt (or sleeps until the next interrupt when all have one) and,
// with `echo` (input=echo), logs every event the queue gives.
[[noreturn]] void input_idle_loop(bool echo);

}  // namespace init
