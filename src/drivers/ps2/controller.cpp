#include "drivers/ps2/controller.hpp"

#include "arch/arch.hpp"
#include "lib/no_unroll.hpp"

namespace drivers::ps2 {
namespace {

constexpr arch::Port kData{0x60};
constexpr arch::Port kStatusCommand{0x64};

// Status register bits.
constexpr u8 kOutputFull = 1U << 0, kInputFull = 1U << 1, kAuxData = 1U << 5;
// Controller commands.
constexpr u8 kReadConfig = 0x20, kWriteConfig = 0x60, kDisablePort2 = 0xA7, kEnablePort2 = 0xA8,
             kTestPort2 = 0xA9, kSelfTest = 0xAA, kTestPort1 = 0xAB, kDisablePort1 = 0xAD,
             kEnablePort1 = 0xAE, kWriteAux = 0xD4;
constexpr u8 kSelfTestPassed = 0x55, kPortTestPassed = 0x00;
// Configuration byte bits.
constexpr u8 kIrq1 = 1U << 0, kIrq12 = 1U << 1, kPort1ClockOff = 1U << 4, kPort2ClockOff = 1U << 5,
             kTranslation = 1U << 6;
// Device commands and answers.
constexpr u8 kAck = 0xFA, kResend = 0xFE, kResetPassed = 0xAA;
constexpr u8 kReset = 0xFF, kSetScancodeSet = 0xF0, kEnableScanning = 0xF4, kSetDefaults = 0xF6,
             kSetSampleRate = 0xF3, kGetId = 0xF2;
constexpr u8 kIntelliMouseId = 3;

// Waits: ~10 ms per byte (platform-facts.md 6) for the controller; a
// device's power-on self-test after a reset may take up to a second. Each
// bounded by arch::Timeout (never shorter, whatever the clock knows).
constexpr u32 kByteTimeoutUs = 10'000;
constexpr u32 kResetTimeoutUs = 1'000'000;

// The waits and commands below are kept out of line: inlined, each of the
// set-up's dozens of command sites gets its own copy of the polling loops,
// code that runs once at boot and that QEMU's TCG translates per copy.
[[gnu::noinline]] bool wait_input_empty() {
    arch::Timeout timeout(kByteTimeoutUs);
    while ((arch::in8(kStatusCommand) & kInputFull) != 0)
        if (timeout.expired()) return false;
    return true;
}

[[gnu::noinline]] bool wait_output(u8& byte, u32 timeout_us) {
    arch::Timeout timeout(timeout_us);
    while ((arch::in8(kStatusCommand) & kOutputFull) == 0)
        if (timeout.expired()) return false;
    byte = arch::in8(kData);
    return true;
}

[[gnu::noinline]] bool command(u8 cmd) {
    if (!wait_input_empty()) return false;
    arch::out8(kStatusCommand, cmd);
    return true;
}

[[gnu::noinline]] bool command_with_arg(u8 cmd, u8 arg) {
    if (!command(cmd) || !wait_input_empty()) return false;
    arch::out8(kData, arg);
    return true;
}

[[gnu::noinline]] bool query(u8 cmd, u8& answer) {
    return command(cmd) && wait_output(answer, kByteTimeoutUs);
}

void flush() {
    // Bounded: a controller that never empties is not waited on.
    for (u32 i = 0; i < 64 && (arch::in8(kStatusCommand) & kOutputFull) != 0; ++i)
        (void)arch::in8(kData);
}

bool device_read(u8& byte, u32 timeout_us) { return wait_output(byte, timeout_us); }

[[gnu::noinline]] bool device_command(bool aux, u8 byte) {
    for (u32 attempt = 0; attempt < 3; ++attempt) {
        const bool sent = aux ? command_with_arg(kWriteAux, byte)
                              : (wait_input_empty() && (arch::out8(kData, byte), true));
        if (!sent) return false;
        u8 answer = 0;
        if (!device_read(answer, kByteTimeoutUs * 5)) return false;
        if (answer == kAck) return true;
        if (answer != kResend) return false;
    }
    return false;
}

// Sends each byte in turn as device_command does, stopping at the first
// that is not acknowledged; true when all were. A command and its argument
// go through it as a pair; one loop rather than a call site per byte.
[[gnu::noinline]] bool device_commands(bool aux, const u8* bytes, usize count) {
    KEEL_NO_UNROLL
    for (usize i = 0; i < count; ++i)
        if (!device_command(aux, bytes[i])) return false;
    return true;
}

template <usize N>
bool device_commands(bool aux, const u8 (&bytes)[N]) {
    return device_commands(aux, bytes, N);
}

bool reset_device(bool aux, u8& id) {
    if (!device_command(aux, kReset)) return false;
    u8 result = 0;
    if (!device_read(result, kResetTimeoutUs) || result != kResetPassed) return false;
    // A mouse follows with its ID; a keyboard sends none. Taken if there.
    id = 0;
    if (aux) (void)device_read(id, kByteTimeoutUs);
    return true;
}

bool setup_keyboard(Setup& s) {
    u8 id = 0;
    if (!reset_device(false, id)) return false;
    // Set 2 is the one every keyboard has; the controller's translation
    // (when on) turns it into set 1. A keyboard that refuses the command
    // keeps its default, which is set 2 as well.
    constexpr u8 kSet2[] = {kSetScancodeSet, 2};
    (void)device_commands(false, kSet2);
    s.keyboard = device_command(false, kEnableScanning);
    return s.keyboard;
}

bool setup_mouse(Setup& s) {
    u8 id = 0;
    if (!reset_device(true, id)) {
        s.mouse_problem = "no mouse answered a reset";
        return false;
    }
    if (!device_command(true, kSetDefaults)) {
        s.mouse_problem = "the mouse refused its defaults";
        return false;
    }
    // The IntelliMouse knock: sample rates 200, 100, 80; a wheel mouse then
    // reports ID 3 and sends 4-byte packets.
    constexpr u8 kKnockThenId[] = {kSetSampleRate, 200, kSetSampleRate, 100,
                                   kSetSampleRate, 80,  kGetId};
    if (device_commands(true, kKnockThenId) && device_read(id, kByteTimeoutUs))
        s.wheel = id == kIntelliMouseId;
    // Back to a normal sample rate (the knock left it at 80/s).
    constexpr u8 kNormalRate[] = {kSetSampleRate, 100};
    (void)device_commands(true, kNormalRate);
    s.mouse = device_command(true, kEnableScanning);
    if (!s.mouse) s.mouse_problem = "the mouse refused to be enabled";
    return s.mouse;
}

}  // namespace

Setup setup_controller() {
    Setup s;
    // No controller: the bus floats and every read is 0xFF.
    if (arch::in8(kStatusCommand) == 0xFF) {
        s.problem = "status port reads 0xFF";
        return s;
    }
    u8 config = 0;
    if (!command(kDisablePort1) || !command(kDisablePort2)) {
        s.problem = "the controller takes no commands";
        return s;
    }
    flush();
    if (!query(kReadConfig, config)) {
        s.problem = "no answer to read-configuration";
        return s;
    }
    // Interrupts and translation off while the devices are set up.
    config &= static_cast<u8>(~(kIrq1 | kIrq12 | kTranslation));
    u8 answer = 0;
    if (!command_with_arg(kWriteConfig, config) || !query(kSelfTest, answer) ||
        answer != kSelfTestPassed) {
        s.problem = "the controller failed its self-test";
        return s;
    }
    s.controller = true;
    // Some controllers reset their configuration in the self-test.
    (void)command_with_arg(kWriteConfig, config);

    // A second port exists if enabling it starts its clock.
    bool dual = false;
    if (command(kEnablePort2) && query(kReadConfig, answer)) {
        dual = (answer & kPort2ClockOff) == 0;
        (void)command(kDisablePort2);
    }
    const bool port1 = query(kTestPort1, answer) && answer == kPortTestPassed;
    const bool port2 = dual && query(kTestPort2, answer) && answer == kPortTestPassed;
    if (!port1) s.problem = "the keyboard port failed its test";
    if (!dual) s.mouse_problem = "the controller has one port";
    if (dual && !port2) s.mouse_problem = "the mouse port failed its test";

    if (port1 && command(kEnablePort1)) (void)setup_keyboard(s);
    if (port1 && !s.keyboard && s.problem.empty()) s.problem = "no keyboard answered a reset";
    if (port2 && command(kEnablePort2)) (void)setup_mouse(s);
    flush();

    // Translation: kept on, as firmware leaves it and as every keyboard
    // supports; what the configuration reads back decides the decoder.
    // The configuration read at the start has both ports' clocks off (they
    // were disabled first): each working port's clock goes back on.
    config |= kTranslation | kPort1ClockOff | kPort2ClockOff;
    if (s.keyboard) config = static_cast<u8>((config | kIrq1) & ~kPort1ClockOff);
    if (s.mouse) config = static_cast<u8>((config | kIrq12) & ~kPort2ClockOff);
    (void)command_with_arg(kWriteConfig, config);
    if (query(kReadConfig, answer)) s.translated = (answer & kTranslation) != 0;
    return s;
}

bool read_output(u8& byte, bool& aux) {
    const u8 status = arch::in8(kStatusCommand);
    if ((status & kOutputFull) == 0) return false;
    aux = (status & kAuxData) != 0;
    byte = arch::in8(kData);
    return true;
}

bool try_send_keyboard(u8 byte) {
    if ((arch::in8(kStatusCommand) & kInputFull) != 0) return false;
    arch::out8(kData, byte);
    return true;
}

}  // namespace drivers::ps2
