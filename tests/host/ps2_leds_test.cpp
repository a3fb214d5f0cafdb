// The keyboard's LED exchange (src/drivers/ps2/led_exchange.hpp) fed the
// keyboard's answers and the time: the happy path, RESENDs up to the cap,
// a lost ACK ended by the deadline, a controller that will not take the
// byte, and a change of the locks while an exchange is in flight.
#include <gtest/gtest.h>

#include "drivers/ps2/led_exchange.hpp"

namespace {

using drivers::ps2::LedExchange;
using Failure = LedExchange::Failure;
constexpr u8 kAck = LedExchange::kAck, kResend = LedExchange::kResend;

// The byte the exchange asks to send now, taken (as the controller would)
// at `now`; -1 when it asks for none.
int send(LedExchange& leds, u64 now) {
    u8 byte = 0;
    if (!leds.byte_to_send(byte)) return -1;
    leds.sent(now);
    return byte;
}

TEST(Ps2Leds, CommandAckValueAck) {
    LedExchange leds;
    leds.request(0x04, 0);
    EXPECT_EQ(send(leds, 0), 0xED);
    EXPECT_EQ(send(leds, 0), -1);  // one byte at a time
    EXPECT_TRUE(leds.answer(kAck, 10));
    EXPECT_EQ(send(leds, 10), 0x04);
    EXPECT_TRUE(leds.answer(kAck, 20));
    EXPECT_TRUE(leds.idle());
    EXPECT_EQ(leds.take_failure(), Failure::None);
    // Once idle, bytes are the decoder's again.
    EXPECT_FALSE(leds.answer(kAck, 30));
    EXPECT_FALSE(leds.answer(0x1E, 30));
}

TEST(Ps2Leds, ScancodesDuringTheExchangeAreNotAnswers) {
    LedExchange leds;
    leds.request(0x02, 0);
    EXPECT_EQ(send(leds, 0), 0xED);
    EXPECT_FALSE(leds.answer(0x1E, 1));
    EXPECT_FALSE(leds.idle());
}

TEST(Ps2Leds, ResendRepeatsTheByteUpToThreeTimes) {
    LedExchange leds;
    leds.request(0x01, 0);
    EXPECT_EQ(send(leds, 0), 0xED);
    for (u32 i = 0; i < LedExchange::kMaxResends; ++i) {
        EXPECT_TRUE(leds.answer(kResend, 1));
        EXPECT_EQ(send(leds, 1), 0xED);
    }
    // The fourth RESEND ends it: nothing more is sent.
    EXPECT_TRUE(leds.answer(kResend, 2));
    EXPECT_TRUE(leds.idle());
    EXPECT_EQ(send(leds, 2), -1);
    EXPECT_EQ(leds.take_failure(), Failure::TooManyResends);
    EXPECT_EQ(leds.take_failure(), Failure::None);
}

TEST(Ps2Leds, ResendsAreCountedPerByte) {
    LedExchange leds;
    leds.request(0x07, 0);
    EXPECT_EQ(send(leds, 0), 0xED);
    EXPECT_TRUE(leds.answer(kResend, 1));
    EXPECT_EQ(send(leds, 1), 0xED);
    EXPECT_TRUE(leds.answer(kResend, 1));
    EXPECT_EQ(send(leds, 1), 0xED);
    EXPECT_TRUE(leds.answer(kAck, 2));
    EXPECT_EQ(send(leds, 2), 0x07);
    for (u32 i = 0; i < LedExchange::kMaxResends; ++i) {
        EXPECT_TRUE(leds.answer(kResend, 3));
        EXPECT_EQ(send(leds, 3), 0x07);
    }
    EXPECT_TRUE(leds.answer(kAck, 4));
    EXPECT_TRUE(leds.idle());
    EXPECT_EQ(leds.take_failure(), Failure::None);
}

TEST(Ps2Leds, ALostAckEndsAtTheDeadlineAndTheNextChangeGoesThrough) {
    LedExchange leds;
    leds.request(0x04, 1000);
    EXPECT_EQ(send(leds, 1000), 0xED);
    leds.tick(1000 + LedExchange::kTimeoutUs - 1);
    EXPECT_FALSE(leds.idle());
    leds.tick(1000 + LedExchange::kTimeoutUs);
    EXPECT_TRUE(leds.idle());
    EXPECT_EQ(leds.take_failure(), Failure::TimedOut);
    // The late ACK is not taken for the next exchange's.
    EXPECT_FALSE(leds.answer(kAck, 200'000));
    leds.request(0x00, 200'000);
    EXPECT_EQ(send(leds, 200'000), 0xED);
    EXPECT_TRUE(leds.answer(kAck, 200'001));
    EXPECT_EQ(send(leds, 200'001), 0x00);
    EXPECT_TRUE(leds.answer(kAck, 200'002));
    EXPECT_TRUE(leds.idle());
}

TEST(Ps2Leds, TheDeadlineRunsFromTheLastByteSent) {
    LedExchange leds;
    leds.request(0x02, 0);
    EXPECT_EQ(send(leds, 0), 0xED);
    EXPECT_TRUE(leds.answer(kAck, 90'000));
    EXPECT_EQ(send(leds, 90'000), 0x02);
    leds.tick(150'000);  // 60 ms after the value: still in time
    EXPECT_FALSE(leds.idle());
    leds.tick(190'000);
    EXPECT_TRUE(leds.idle());
    EXPECT_EQ(leds.take_failure(), Failure::TimedOut);
}

TEST(Ps2Leds, AControllerThatNeverTakesTheByteTimesOutToo) {
    LedExchange leds;
    leds.request(0x02, 0);
    u8 byte = 0;
    EXPECT_TRUE(leds.byte_to_send(byte));  // asked, never sent()
    EXPECT_FALSE(leds.answer(kAck, 5));    // nothing was sent to answer
    leds.tick(LedExchange::kTimeoutUs);
    EXPECT_TRUE(leds.idle());
    EXPECT_EQ(leds.take_failure(), Failure::TimedOut);
}

TEST(Ps2Leds, AChangeDuringTheExchangeIsSentAfterIt) {
    LedExchange leds;
    leds.request(0x04, 0);
    EXPECT_EQ(send(leds, 0), 0xED);
    leds.request(0x06, 1);  // in flight: waits
    EXPECT_EQ(send(leds, 1), -1);
    EXPECT_TRUE(leds.answer(kAck, 2));
    EXPECT_EQ(send(leds, 2), 0x06);  // the value is the newest
    EXPECT_TRUE(leds.answer(kAck, 3));
    // The change started a second exchange, which sends the same value.
    EXPECT_EQ(send(leds, 3), 0xED);
    EXPECT_TRUE(leds.answer(kAck, 4));
    EXPECT_EQ(send(leds, 4), 0x06);
    EXPECT_TRUE(leds.answer(kAck, 5));
    EXPECT_TRUE(leds.idle());
}

TEST(Ps2Leds, AFailedExchangeDropsTheQueuedChange) {
    LedExchange leds;
    leds.request(0x04, 0);
    EXPECT_EQ(send(leds, 0), 0xED);
    leds.request(0x06, 1);
    leds.tick(LedExchange::kTimeoutUs + 1);
    EXPECT_TRUE(leds.idle());
    EXPECT_EQ(send(leds, LedExchange::kTimeoutUs + 1), -1);
}

}  // namespace
