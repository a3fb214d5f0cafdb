// The keyboard's LED update as a state machine, hardware-independent
// (host-tested in tests/host/ps2_leds_test.cpp): Set LEDs (0xED), its ACK,
// the LED byte, its ACK. The driver (ps2_input.cpp) feeds it the keyboard's
// bytes and steps it from its idle loop, and sends the byte it asks for
// when the controller can take one without waiting; nothing here waits.
//
// The keyboard may not keep its side: an ACK can be lost (the exchange
// would wait for it forever, and the LEDs never change again) and a
// keyboard may answer RESEND (0xFE) to every byte. So each byte sent has
// kTimeoutUs for its answer, and each byte is resent at most kMaxResends
// times; either way the exchange ends, the machine is idle again, and the
// next change of the locks starts a new one with the locks as they then
// are.
//
// The deadline is an arch::Timeout, not a reading of the clock: without a
// clock rate (no TSC, or one nobody measured) microseconds_since_boot()
// stays 0 and a deadline on it never came; a Timeout counts the HPET or
// PM timer, the TSC at its fastest plausible rate, or ~1 us port writes,
// one per tick() (docs/time.md, "Bounded waits").
#pragma once

#include "arch/arch.hpp"
#include "lib/ktl/types.hpp"

namespace drivers::ps2 {

class LedExchange {
public:
    static constexpr u8 kSetLeds = 0xED, kAck = 0xFA, kResend = 0xFE;
    static constexpr u32 kMaxResends = 3;
    // A keyboard answers within 20 ms; the rest is room for an emulator
    // whose host is busy.
    static constexpr u64 kTimeoutUs = 100'000;

    // How the last exchange ended, when it did not end well (for the log).
    enum class Failure : u8 { None, TimedOut, TooManyResends };

    // The locks changed: the LEDs should show `leds` (bits 0-2: scroll,
    // num, caps). While an exchange is in flight the new value is sent by
    // another exchange after it.
    void request(u8 leds);

    // A byte from the keyboard; true when it was the exchange's answer
    // (consumed), false when it is the decoder's.
    bool answer(u8 byte);

    // Ends an exchange whose answer (or whose byte's sending) is overdue.
    // Without any counter each call is one of the deadline's ~1 us steps.
    void tick();

    // The byte to send now, if any; sent() once the controller took it.
    [[nodiscard]] bool byte_to_send(u8& byte) const;
    void sent();

    [[nodiscard]] bool idle() const { return step_ == Step::Idle; }
    // The failure since the last call, then None.
    Failure take_failure();

private:
    enum class Step : u8 { Idle, Command, Value };

    void start();
    void end(Failure failure);

    Step step_ = Step::Idle;
    u8 wanted_ = 0;         // the LEDs the locks call for
    u8 byte_ = 0;           // the step's byte (0xED or the LED value)
    bool pending_ = false;  // byte_ not yet taken by the controller
    bool again_ = false;    // the locks changed during the exchange
    u32 resends_ = 0;
    arch::Timeout deadline_;  // the byte's: from when it is asked for, again when it is sent
    Failure failure_ = Failure::None;
};

}  // namespace drivers::ps2
