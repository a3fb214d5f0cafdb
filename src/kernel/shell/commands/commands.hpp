// The shell's commands defined in src/kernel/ (one file each). Commands
// that show another layer's state live in that layer's reach: src/init/
// shell_commands/ (pci, cpu, vm). src/init/shell.cpp registers them all.
#pragma once

#include "kernel/shell/command.hpp"

namespace kernel::shell::commands {

// Portable (host-tested): help.cpp, echo.cpp, clear.cpp, log.cpp.
extern const Command kHelp;
extern const Command kEcho;
extern const Command kClear;
extern const Command kLog;
// Portable too: date.cpp, keymap.cpp (irq.cpp's table: irq_table.cpp).
extern const Command kDate;
extern const Command kKeymap;
// The running kernel's: mem.cpp, heap.cpp, uptime.cpp, test.cpp,
// crash.cpp, acpi.cpp.
extern const Command kMem;
extern const Command kHeap;
extern const Command kUptime;
extern const Command kTest;
extern const Command kCrash;
extern const Command kAcpi;
// irq.cpp, cpus.cpp.
extern const Command kIrq;
extern const Command kCpus;

}  // namespace kernel::shell::commands
