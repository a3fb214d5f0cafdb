// The keyboard's LED update as a state machine, hardware-independent
// (host-tested in tests/host/ps2_leds_test.cpp): Set LEDs (0xED), its ACK,
// the LED byte, its ACK. The driver (ps2_input.cpp) feeds it the keyboard's
// bytes and the time, and sends the byte it asks for when the controller
// can take one without waiting; nothing here waits.
//
// The keyboard may not keep its side: an ACK can be lost (the exchange
// would wait for it forever, and the LEDs never change again) and a
// keyboard may answer RESEND (0xFE) to every byte. So each exchange has a
// deadline, and each byte is resent at most kMaxResends times; either way
// the exchange ends, the machine is idle again, and the next change of the
// locks starts a new one with the locks as they then are.
#pragma once

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
    void request(u8 leds, u64 now_us);

    // A byte from the keyboard; true when it was the exchange's answer
    // (consumed), false when it is the decoder's.
    bool answer(u8 byte, u64 now_us);

    // Ends an exchange whose answer (or whose byte's sending) is overdue.
    void tick(u64 now_us);

    // The byte to send now, if any; sent() once the controller took it.
    [[nodiscard]] bool byte_to_send(u8& byte) const;
    void sent(u64 now_us);

    [[nodiscard]] bool idle() const { return step_ == Step::Idle; }
    // The failure since the last call, then None.
    Failure take_failure();

private:
    enum class Step : u8 { Idle, Command, Value };

    void start(u64 now_us);
    void end(Failure failure);

    Step step_ = Step::Idle;
    u8 wanted_ = 0;         // the LEDs the locks call for
    u8 byte_ = 0;           // the step's byte (0xED or the LED value)
    bool pending_ = false;  // byte_ not yet taken by the controller
    bool again_ = false;    // the locks changed during the exchange
    u32 resends_ = 0;
    u64 deadline_us_ = 0;
    Failure failure_ = Failure::None;
};

}  // namespace drivers::ps2
