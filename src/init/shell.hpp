// The Shell phase: every command registered, a session on the screen and
// one on COM1, and the input loop that serves them for good.
#pragma once

#include "drivers/serial/uart16550.hpp"

namespace init {

[[noreturn]] void run_shell(drivers::Serial16550& com1);

}  // namespace init
