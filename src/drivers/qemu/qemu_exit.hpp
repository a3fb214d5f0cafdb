// QEMU's isa-debug-exit device (-device isa-debug-exit,iobase=0xf4,iosize=4):
// writing V makes QEMU exit with status (V << 1) | 1. Used by in-kernel tests.
#pragma once

#include "arch/arch.hpp"
#include "arch/io.hpp"

namespace drivers {

enum class QemuExit : u32 { Success = 0x10, Failure = 0x11 };  // exit status 33 / 35
inline constexpr u16 kPort = 0xF4;  // the iobase tests and tools/run give it

// Whether the device is there. QEMU's isa-debug-exit answers a read with
// 0, while a port nothing decodes reads as all ones (the ISA bus floats):
// so a 32-bit read of 0 says "present". Real machines rarely decode 0xF4
// at all; one that reads 0 there would be taken for QEMU, and the write
// that follows is what any ISA probe risks (docs/power.md).
[[nodiscard]] inline bool qemu_exit_present() { return arch::in32(arch::Port{kPort}) == 0; }

[[noreturn]] inline void qemu_exit(QemuExit code) {
    arch::out32(arch::Port{kPort}, static_cast<u32>(code));
    // The exit is asynchronous (and absent outside QEMU): never run on.
    arch::halt_forever();
}

}  // namespace drivers
