// The 0xE9 debug console of Bochs and QEMU (-debugcon): one OUT per byte,
// no setup, and it works even when the UART is misconfigured.
#pragma once

#include "arch/io.hpp"
#include "arch/pc.h"
#include "kernel/log/sink.hpp"

namespace drivers {

class DebugConsole final : public kernel::log::Sink {
public:
    // Both emulators answer a read of port 0xE9 with 0xE9 when the console exists.
    static bool present() { return arch::in8(kPort) == DEBUGCON_PORT; }
    void write(ktl::string_view text) override {
        for (char c : text) arch::out8(kPort, static_cast<u8>(c));
    }

private:
    static constexpr arch::Port kPort{DEBUGCON_PORT};
};

}  // namespace drivers
