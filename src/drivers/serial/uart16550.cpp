#include "drivers/serial/uart16550.hpp"

#include "arch/arch.hpp"

namespace drivers {

namespace {
// Register offsets (PC16550D datasheet, table II).
constexpr u16 kData = 0, kInterruptEnable = 1, kFifoControl = 2, kLineControl = 3,
              kModemControl = 4, kLineStatus = 5, kScratch = 7;
constexpr u8 kLineControlDlab = 0x80;
constexpr u8 kLineControl8N1 = 0x03;
constexpr u8 kFifoEnableClear14 = 0xC7;
constexpr u8 kModemDtrRtsOut2 = 0x0B;
constexpr u8 kLineStatusThrEmpty = 0x20;
constexpr u8 kLineStatusTransmitterEmpty = 0x40;  // FIFO and shift register both
constexpr u8 kLineStatusDataReady = 0x01;
constexpr u8 kFifoEnableClearTrigger1 = 0x07;
constexpr u8 kInterruptReceivedData = 0x01;
constexpr u16 kInterruptIdentification = 2;  // read: which interrupt (same offset as FIFO control)
constexpr u16 kDivisor115200 = 1;            // 115200 / 115200
// Interrupt identification bits 7:6 read 11 when the FIFOs are enabled: a
// 16550A. A 16450 (or a 16550 with its broken FIFO) reads 00 there.
constexpr u8 kIdentificationFifosEnabled = 0xC0;
constexpr u8 kTransmitFifoBytes = 16;
// 16 bytes at 115200 baud take 1.4 ms; a transmitter that has not emptied
// in a second is wedged (or held by a host far too busy to be waited for).
constexpr u64 kTransmitWaitUs = 1'000'000;

// Whether `bit` of the line status came up within kTransmitWaitUs. The
// time bound is only set up when the first look finds it down.
bool wait_line_status(arch::Port status, u8 bit) {
    if ((arch::in8(status) & bit) != 0) return true;
    arch::Timeout timeout(kTransmitWaitUs);
    while ((arch::in8(status) & bit) == 0)
        if (timeout.expired()) return false;
    return true;
}
}  // namespace

bool Serial16550::init() {
    // The scratch register holds what we write only if a UART is there;
    // a floating ISA bus reads back 0xFF.
    arch::out8(reg(kScratch), 0x5A);
    if (arch::in8(reg(kScratch)) != 0x5A) return present_ = false;

    arch::out8(reg(kInterruptEnable), 0);
    arch::out8(reg(kLineControl), kLineControlDlab);
    arch::out8(reg(kData), kDivisor115200 & 0xFF);
    arch::out8(reg(kInterruptEnable), kDivisor115200 >> 8);
    arch::out8(reg(kLineControl), kLineControl8N1);
    arch::out8(reg(kFifoControl), kFifoEnableClear14);
    arch::out8(reg(kModemControl), kModemDtrRtsOut2);
    const bool fifo = (arch::in8(reg(kInterruptIdentification)) & kIdentificationFifosEnabled) ==
                      kIdentificationFifosEnabled;
    transmit_depth_ = fifo ? kTransmitFifoBytes : 1;
    transmit_room_ = 0;
    return present_ = true;
}

void Serial16550::enable_receive(bool interrupt) {
    if (!present_) return;
    // The FIFO control write clears the transmit FIFO too: let what the
    // log wrote go out first.
    if (!wait_transmitter_empty()) return;
    arch::out8(reg(kFifoControl), kFifoEnableClearTrigger1);
    arch::out8(reg(kInterruptEnable), interrupt ? kInterruptReceivedData : 0);
    // Reading the identification register acknowledges a pending interrupt.
    (void)arch::in8(reg(kInterruptIdentification));
}

bool Serial16550::receive(u8& byte) {
    if (!present_ || (arch::in8(reg(kLineStatus)) & kLineStatusDataReady) == 0) return false;
    byte = arch::in8(reg(kData));
    return true;
}

bool Serial16550::wait_transmitter_empty() {
    // Bounded wait: a wedged UART must not hang the kernel's log. One that
    // never empties its transmitter is given up on, so the other sinks (the
    // screen) are not slowed to a crawl by a wait per character.
    if (!wait_line_status(reg(kLineStatus), kLineStatusThrEmpty)) {
        present_ = false;
        return false;
    }
    transmit_room_ = transmit_depth_;
    return true;
}

void Serial16550::put(char c) {
    // With the FIFO on, "transmitter holding register empty" means the
    // whole transmit FIFO is: 16 bytes fit before the next look. Under a
    // hypervisor each status read is an exit, so this is 16x fewer of them.
    if (transmit_room_ == 0 && !wait_transmitter_empty()) return;
    arch::out8(reg(kData), static_cast<u8>(c));
    --transmit_room_;
}

void Serial16550::begin_panic() {
    transmit_depth_ = 1;
    transmit_room_ = 0;
}

void Serial16550::flush() {
    if (!present_) return;
    // 16 bytes at 115200 baud are 1.4 ms; the bound is the one a single
    // byte gets, after which the UART is taken for wedged as in put().
    (void)wait_line_status(reg(kLineStatus), kLineStatusTransmitterEmpty);
}

void Serial16550::write(ktl::string_view text) {
    if (!present_) return;
    for (char c : text) {
        if (c == '\n') put('\r');  // terminals expect CR LF
        if (present_) put(c);
    }
}

}  // namespace drivers

namespace drivers {

namespace {
// Bright colours: the normal ones are hard to read on a dark terminal.
ktl::string_view ansi(kernel::log::Style style) {
    using kernel::log::Style;
    switch (style) {
        case Style::Debug:
            return "\x1b[90m";  // grey
        case Style::Warning:
            return "\x1b[93m";  // yellow
        case Style::Error:
            return "\x1b[91m";  // red
        case Style::Good:
            return "\x1b[92m";  // green
        case Style::Prompt:
            return "\x1b[96m";  // cyan
        case Style::Input:
            return "\x1b[1m";  // bold
        case Style::Normal:
            break;
    }
    return "\x1b[0m";
}
}  // namespace

void Serial16550::set_style(kernel::log::Style style) {
    if (!colors_ || style == style_) return;
    style_ = style;
    if (style != kernel::log::Style::Normal) write("\x1b[0m");  // one style at a time
    write(ansi(style));
}

bool Serial16550::receive(char& out) {
    if (!present_ || (arch::in8(reg(kLineStatus)) & kLineStatusDataReady) == 0) return false;
    out = static_cast<char>(arch::in8(reg(kData)));
    return true;
}

}  // namespace drivers
