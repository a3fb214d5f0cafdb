// The keyboard's LED exchange (src/drivers/ps2/led_exchange.hpp) fed the
// keyboard's answers: the happy path, RESENDs up to the cap, a lost ACK
// ended by the deadline, a controller that will not take the byte, and a
// change of the locks while an exchange is in flight. The deadlines run on
// a machine without a clock (test::NoClock: each tick() is one ~1 us step,
// so they are counted exactly), and once on the host's clock.
#include <gtest/gtest.h>

#include <chrono>

#include "drivers/ps2/led_exchange.hpp"
#include "no_clock.hpp"

namespace {

using drivers::ps2::LedExchange;
using Failure = LedExchange::Failure;
constexpr u8 kAck = LedExchange::kAck, kResend = LedExchange::kResend;
// The steps a deadline counts: kTimeoutUs, and one for the first reading.
constexpr u64 kDeadlineSteps = LedExchange::kTimeoutUs + 1;

// The byte the exchange asks to send now, taken (as the controller would);
// -1 when it asks for none.
int send(LedExchange& leds) {
    u8 byte = 0;
    if (!leds.byte_to_send(byte)) return -1;
    leds.sent();
    return byte;
}

// `steps` of the idle loop's tick() (each ~1 us without a clock).
void tick(LedExchange& leds, u64 steps) {
    for (u64 i = 0; i < steps; ++i) leds.tick();
}

TEST(Ps2Leds, CommandAckValueAck) {
    LedExchange leds;
    leds.request(0x04);
    EXPECT_EQ(send(leds), 0xED);
    EXPECT_EQ(send(leds), -1);  // one byte at a time
    EXPECT_TRUE(leds.answer(kAck));
    EXPECT_EQ(send(leds), 0x04);
    EXPECT_TRUE(leds.answer(kAck));
    EXPECT_TRUE(leds.idle());
    EXPECT_EQ(leds.take_failure(), Failure::None);
    // Once idle, bytes are the decoder's again.
    EXPECT_FALSE(leds.answer(kAck));
    EXPECT_FALSE(leds.answer(0x1E));
}

TEST(Ps2Leds, ScancodesDuringTheExchangeAreNotAnswers) {
    LedExchange leds;
    leds.request(0x02);
    EXPECT_EQ(send(leds), 0xED);
    EXPECT_FALSE(leds.answer(0x1E));
    EXPECT_FALSE(leds.idle());
}

TEST(Ps2Leds, ResendRepeatsTheByteUpToThreeTimes) {
    LedExchange leds;
    leds.request(0x01);
    EXPECT_EQ(send(leds), 0xED);
    for (u32 i = 0; i < LedExchange::kMaxResends; ++i) {
        EXPECT_TRUE(leds.answer(kResend));
        EXPECT_EQ(send(leds), 0xED);
    }
    // The fourth RESEND ends it: nothing more is sent.
    EXPECT_TRUE(leds.answer(kResend));
    EXPECT_TRUE(leds.idle());
    EXPECT_EQ(send(leds), -1);
    EXPECT_EQ(leds.take_failure(), Failure::TooManyResends);
    EXPECT_EQ(leds.take_failure(), Failure::None);
}

TEST(Ps2Leds, ResendsAreCountedPerByte) {
    LedExchange leds;
    leds.request(0x07);
    EXPECT_EQ(send(leds), 0xED);
    EXPECT_TRUE(leds.answer(kResend));
    EXPECT_EQ(send(leds), 0xED);
    EXPECT_TRUE(leds.answer(kResend));
    EXPECT_EQ(send(leds), 0xED);
    EXPECT_TRUE(leds.answer(kAck));
    EXPECT_EQ(send(leds), 0x07);
    for (u32 i = 0; i < LedExchange::kMaxResends; ++i) {
        EXPECT_TRUE(leds.answer(kResend));
        EXPECT_EQ(send(leds), 0x07);
    }
    EXPECT_TRUE(leds.answer(kAck));
    EXPECT_TRUE(leds.idle());
    EXPECT_EQ(leds.take_failure(), Failure::None);
}

TEST(Ps2Leds, WithoutAClockALostAckEndsAtTheDeadlineAndTheNextChangeGoesThrough) {
    const test::NoClock no_clock;
    LedExchange leds;
    leds.request(0x04);
    EXPECT_EQ(send(leds), 0xED);
    tick(leds, kDeadlineSteps - 1);
    EXPECT_FALSE(leds.idle());
    leds.tick();
    EXPECT_TRUE(leds.idle());
    EXPECT_EQ(leds.take_failure(), Failure::TimedOut);
    // The late ACK is not taken for the next exchange's.
    EXPECT_FALSE(leds.answer(kAck));
    leds.request(0x00);
    EXPECT_EQ(send(leds), 0xED);
    EXPECT_TRUE(leds.answer(kAck));
    EXPECT_EQ(send(leds), 0x00);
    EXPECT_TRUE(leds.answer(kAck));
    EXPECT_TRUE(leds.idle());
}

TEST(Ps2Leds, TheDeadlineRunsFromTheLastByteSent) {
    const test::NoClock no_clock;
    LedExchange leds;
    leds.request(0x02);
    EXPECT_EQ(send(leds), 0xED);
    tick(leds, 90'000);
    EXPECT_TRUE(leds.answer(kAck));
    EXPECT_EQ(send(leds), 0x02);
    tick(leds, 60'000);  // 60 ms after the value, 150 after the command: in time
    EXPECT_FALSE(leds.idle());
    tick(leds, kDeadlineSteps - 60'000);
    EXPECT_TRUE(leds.idle());
    EXPECT_EQ(leds.take_failure(), Failure::TimedOut);
}

TEST(Ps2Leds, AControllerThatNeverTakesTheByteTimesOutToo) {
    const test::NoClock no_clock;
    LedExchange leds;
    leds.request(0x02);
    u8 byte = 0;
    EXPECT_TRUE(leds.byte_to_send(byte));  // asked, never sent()
    EXPECT_FALSE(leds.answer(kAck));       // nothing was sent to answer
    tick(leds, kDeadlineSteps);
    EXPECT_TRUE(leds.idle());
    EXPECT_EQ(leds.take_failure(), Failure::TimedOut);
}

// With a clock the deadline is time: not over at once, over once 100 ms
// have passed, however many ticks that took.
TEST(Ps2Leds, WithAClockALostAckEndsAfterItsTime) {
    LedExchange leds;
    const auto start = std::chrono::steady_clock::now();
    leds.request(0x04);
    EXPECT_EQ(send(leds), 0xED);
    leds.tick();
    EXPECT_FALSE(leds.idle());
    // Bounded here too: a deadline that never comes fails, not hangs.
    while (!leds.idle() && std::chrono::steady_clock::now() - start < std::chrono::seconds(2))
        leds.tick();
    EXPECT_TRUE(leds.idle());
    EXPECT_GE(std::chrono::steady_clock::now() - start,
              std::chrono::microseconds(LedExchange::kTimeoutUs));
    EXPECT_EQ(leds.take_failure(), Failure::TimedOut);
}

TEST(Ps2Leds, AChangeDuringTheExchangeIsSentAfterIt) {
    LedExchange leds;
    leds.request(0x04);
    EXPECT_EQ(send(leds), 0xED);
    leds.request(0x06);  // in flight: waits
    EXPECT_EQ(send(leds), -1);
    EXPECT_TRUE(leds.answer(kAck));
    EXPECT_EQ(send(leds), 0x06);  // the value is the newest
    EXPECT_TRUE(leds.answer(kAck));
    // The change started a second exchange, which sends the same value.
    EXPECT_EQ(send(leds), 0xED);
    EXPECT_TRUE(leds.answer(kAck));
    EXPECT_EQ(send(leds), 0x06);
    EXPECT_TRUE(leds.answer(kAck));
    EXPECT_TRUE(leds.idle());
}

TEST(Ps2Leds, AFailedExchangeDropsTheQueuedChange) {
    const test::NoClock no_clock;
    LedExchange leds;
    leds.request(0x04);
    EXPECT_EQ(send(leds), 0xED);
    leds.request(0x06);
    tick(leds, kDeadlineSteps);
    EXPECT_TRUE(leds.idle());
    EXPECT_EQ(send(leds), -1);
}

}  // namespace
