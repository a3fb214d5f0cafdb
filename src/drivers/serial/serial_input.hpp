// COM1 as an input-event source: received bytes decoded as a terminal's
// keys (kernel/input/terminal.hpp) and pushed into the input queue with
// Source::Serial. Interrupt (com1_interrupt, IRQ 4) or polled (service()),
// under one lock held with interrupts off, like the PS/2 driver.
#pragma once

#include "drivers/serial/uart16550.hpp"

namespace drivers::serial_input {

// Starts receiving on `uart` (the log's COM1); `interrupt`: whether IRQ 4
// will be installed.
void start(Serial16550& uart, bool interrupt);
// Reads what the UART holds; also ends a lone ESC after a quiet moment.
void service();
// The handler for irq::install_isa (context unused).
void com1_interrupt(void* context);

}  // namespace drivers::serial_input
