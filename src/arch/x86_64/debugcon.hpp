// The 0xE9 debug console of Bochs and QEMU (-debugcon): one OUT per byte,
// no setup, and it works even when the UART is misconfigured.
#pragma once

#include "arch/x86_64/io.hpp"
#include "kernel/log/sink.hpp"

namespace arch {

class DebugConsole final : public kernel::log::Sink {
public:
    // Both emulators answer a read of port 0xE9 with 0xE9 when the console exists.
    static bool present() { return in8(kPort) == 0xE9; }
    void write(ktl::string_view text) override {
        for (char c : text) out8(kPort, static_cast<u8>(c));
    }

private:
    static constexpr Port kPort{0xE9};
};

}  // namespace arch
