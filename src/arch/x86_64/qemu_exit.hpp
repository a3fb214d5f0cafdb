// QEMU's isa-debug-exit device (-device isa-debug-exit,iobase=0xf4,iosize=4):
// writing V makes QEMU exit with status (V << 1) | 1. Used by in-kernel tests.
#pragma once

#include "arch/x86_64/cpu.hpp"
#include "arch/x86_64/io.hpp"

namespace arch {

enum class QemuExit : u32 { Success = 0x10, Failure = 0x11 };  // exit status 33 / 35

[[noreturn]] inline void qemu_exit(QemuExit code) {
    out32(Port{0xF4}, static_cast<u32>(code));
    // The exit is asynchronous (and absent outside QEMU): never run on.
    halt_forever();
}

}  // namespace arch
