// QEMU's isa-debug-exit device (-device isa-debug-exit,iobase=0xf4,iosize=4):
// writing V makes QEMU exit with status (V << 1) | 1. Used by in-kernel tests.
#pragma once

#include "arch/arch.hpp"
#include "arch/io.hpp"

namespace drivers {

enum class QemuExit : u32 { Success = 0x10, Failure = 0x11 };  // exit status 33 / 35
inline constexpr u16 kPort = 0xF4;  // the iobase tests and tools/run give it

[[noreturn]] inline void qemu_exit(QemuExit code) {
    arch::out32(arch::Port{kPort}, static_cast<u32>(code));
    // The exit is asynchronous (and absent outside QEMU): never run on.
    arch::halt_forever();
}

}  // namespace drivers
