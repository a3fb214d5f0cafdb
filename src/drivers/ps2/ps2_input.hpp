// The PS/2 keyboard and mouse as input-event sources: the controller set
// up, its bytes decoded (kernel/input/keyboard.hpp, mouse.hpp) and pushed
// into the input queue, the keyboard's LEDs kept in step with its locks.
//
// Interrupt or polled: keyboard_interrupt() and mouse_interrupt() are the
// handlers irq::install_isa takes (IRQ 1 and 12); service() is what the
// idle loop calls when no interrupt is installed. All three drain the
// controller through one lock held with interrupts off, so an interrupt
// and the poll (or two CPUs) never split a packet between them.
#pragma once

#include "drivers/ps2/controller.hpp"
#include "lib/ktl/types.hpp"

namespace drivers::ps2 {

// Sets the controller up (once, at boot) and returns what it found.
Setup start();

// Reads every byte the controller holds, decodes it, pushes the events.
void service();
// Moves a keyboard LED update along without a byte from the keyboard:
// sends the byte the controller could not take at once, ends an update
// whose answer is overdue. The idle loop calls it (each tick wakes it).
void step_leds();
// The handlers for irq::install_isa (context unused).
void keyboard_interrupt(void* context);
void mouse_interrupt(void* context);

}  // namespace drivers::ps2
