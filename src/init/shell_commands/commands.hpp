// The shell's commands that show what only init reaches (the PCI list, the
// build's version) or the arch interface's CPU and mapping summaries.
#pragma once

#include "kernel/shell/command.hpp"

namespace init::commands {

extern const kernel::shell::Command kVersion;   // version.cpp
extern const kernel::shell::Command kPci;       // pci.cpp
extern const kernel::shell::Command kCpu;       // cpu.cpp
extern const kernel::shell::Command kVm;        // vm.cpp
extern const kernel::shell::Command kReboot;    // power.cpp
extern const kernel::shell::Command kPoweroff;  // power.cpp

}  // namespace init::commands
