// 16550 UART driver, polled: the boot log must get out even when interrupts
// are off or broken, and the shell reads COM1 by polling until the serial
// input driver feeds the input queue (docs/shell.md, "Input").
#pragma once

#include "arch/io.hpp"
#include "kernel/log/sink.hpp"

namespace drivers {

class Serial16550 final : public kernel::log::Sink {
public:
    explicit constexpr Serial16550(arch::Port base) : base_(base) {}

    // Programs 115200 8N1 with FIFOs. Returns false when no UART answers.
    // Bochs honours the line control register: an unprogrammed UART there
    // prints garbage, so this must run before the first byte.
    bool init();
    void write(ktl::string_view text) override;
    // Styles as ANSI SGR sequences (ECMA-48 8.3.117), unless turned off
    // (color=off): then the line carries text only.
    void set_style(kernel::log::Style style) override;
    // ED and CUP (ECMA-48 8.3.39, 8.3.21): every ANSI terminal knows them.
    void clear_screen() override { write("\x1b[2J\x1b[H"); }
    void set_colors_enabled(bool enabled) { colors_ = enabled; }
    // One received byte, if the UART holds one (never waits).
    [[nodiscard]] bool receive(char& out);

private:
    void put(char c);
    [[nodiscard]] arch::Port reg(u16 offset) const {
        return arch::Port{static_cast<u16>(base_.number + offset)};
    }

    arch::Port base_;
    bool present_ = false;
    bool colors_ = true;
    kernel::log::Style style_ = kernel::log::Style::Normal;
};

}  // namespace drivers
