#include "drivers/serial/serial_input.hpp"

#include "arch/arch.hpp"
#include "kernel/input/queue.hpp"
#include "kernel/input/terminal.hpp"
#include "kernel/sync/guard.hpp"
#include "kernel/sync/spinlock.hpp"

namespace drivers::serial_input {
namespace {

namespace input = kernel::input;

// A terminal sends a key's escape sequence in one burst; an ESC followed
// by this much silence was the Escape key (as readline's default).
constexpr u64 kEscapeQuietUs = 50'000;
// Bytes per service() call at most: a babbling line cannot hold the CPU.
constexpr u32 kMaxBytesPerService = 64;

// Owned by this driver, guarded by g_lock (taken with interrupts off).
Serial16550* g_uart = nullptr;
input::TerminalDecoder g_decoder;
u64 g_last_byte_us = 0;
u32 g_quiet_polls = 0;  // the measure of quiet while the TSC's rate is unknown
constexpr u32 kEscapeQuietPolls = 20'000;
kernel::Spinlock g_lock;

void push_key(const input::KeyEvent& key) {
    input::Event event;
    event.kind = input::Kind::Key;
    event.source = input::Source::Serial;
    event.key = key;
    input::push(event);
}

}  // namespace

void start(Serial16550& uart, bool interrupt) {
    const kernel::IrqSaveSpinlockGuard guard(g_lock);
    g_uart = &uart;
    uart.enable_receive(interrupt);
}

void service() {
    const kernel::IrqSaveSpinlockGuard guard(g_lock);
    if (g_uart == nullptr) return;
    u8 byte = 0;
    u32 taken = 0;
    // A byte gives at most two events (a flushed ESC and the key after it).
    // With no room, the bytes wait in the UART: QEMU (and a terminal with
    // flow control) hold the rest back until the shell has read the queue,
    // and the shell's loop calls service() again each time it wakes.
    while (taken < kMaxBytesPerService && input::queue_room() >= 2 && g_uart->receive(byte)) {
        ++taken;
        input::KeyEvent keys[2];
        const u8 n = g_decoder.feed(byte, keys);
        for (u8 i = 0; i < n; ++i) push_key(keys[i]);
    }
    const u64 now = arch::microseconds_since_boot();
    if (taken != 0) {
        g_last_byte_us = now;
        g_quiet_polls = 0;
        return;
    }
    ++g_quiet_polls;
    const bool quiet =
        now != 0 ? now - g_last_byte_us > kEscapeQuietUs : g_quiet_polls > kEscapeQuietPolls;
    if (g_decoder.pending() && quiet) {
        input::KeyEvent key;
        if (g_decoder.flush(key)) push_key(key);
    }
}

void com1_interrupt(void* /*context*/) { service(); }

}  // namespace drivers::serial_input
