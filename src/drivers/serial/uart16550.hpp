// 16550 UART driver, polled transmit: the boot log must get out even when
// interrupts are off or broken. Receive is polled or by interrupt
// (serial_input.hpp decides); the bytes feed the input queue, which the
// shell reads (docs/input.md, docs/shell.md).
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
    // From the panic on, the line status is read before every byte: a
    // panic may write without the log's lock (kernel/log/log.cpp), and then
    // the count of bytes the FIFO still takes is not one writer's any more.
    void begin_panic() override;
    // Until the transmitter is empty: its FIFO and the byte on the line.
    void flush() override;
    void set_colors_enabled(bool enabled) { colors_ = enabled; }
    // One received byte, if the UART holds one (never waits).
    [[nodiscard]] bool receive(char& out);

    // Receive: the FIFO's trigger at one byte (a key is wanted at once),
    // and the received-data interrupt on when `interrupt` (OUT2, which
    // gates the line on PCs, is already set by init()).
    void enable_receive(bool interrupt);
    // A received byte, if one waits (line status bit 0).
    bool receive(u8& byte);
    [[nodiscard]] bool present() const { return present_; }

private:
    void put(char c);
    // Waits (bounded) until the transmit FIFO is empty; false, and the UART
    // given up on, when it never empties.
    bool wait_transmitter_empty();
    [[nodiscard]] arch::Port reg(u16 offset) const {
        return arch::Port{static_cast<u16>(base_.number + offset)};
    }

    arch::Port base_;
    bool present_ = false;
    bool colors_ = true;
    // Bytes the transmit FIFO takes before the line status must be read
    // again (1 without a FIFO). Owner: the log's lock, like every write.
    u8 transmit_depth_ = 1;
    u8 transmit_room_ = 0;
    kernel::log::Style style_ = kernel::log::Style::Normal;
};

}  // namespace drivers
