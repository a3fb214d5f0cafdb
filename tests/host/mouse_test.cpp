// PS/2 mouse packet assembly (src/kernel/input/mouse.*).
#include <gtest/gtest.h>

#include <vector>

#include "kernel/input/describe.hpp"
#include "kernel/input/mouse.hpp"

namespace {

using namespace kernel::input;

std::vector<MouseEvent> decode(MousePacketDecoder& d, std::initializer_list<int> bytes) {
    std::vector<MouseEvent> events;
    MouseEvent e;
    for (int b : bytes)
        if (d.feed(static_cast<u8>(b), e)) events.push_back(e);
    return events;
}

TEST(Mouse, ThreeBytePacketWithSignedMovement) {
    MousePacketDecoder d;
    // Left button, x +5, y -3 (Y sign bit 5 set, 0xFD).
    auto events = decode(d, {0x08 | 0x01 | 0x20, 0x05, 0xFD});
    ASSERT_EQ(events.size(), 1U);
    EXPECT_EQ(events[0].dx, 5);
    EXPECT_EQ(events[0].dy, -3);
    EXPECT_EQ(events[0].buttons, button::kLeft);
    EXPECT_EQ(events[0].wheel, 0);
}

TEST(Mouse, NineBitMovementAndAllButtons) {
    MousePacketDecoder d;
    auto events = decode(d, {0x08 | 0x07 | 0x10, 0x00, 0xFF});
    ASSERT_EQ(events.size(), 1U);
    EXPECT_EQ(events[0].dx, -256);
    EXPECT_EQ(events[0].dy, 255);
    EXPECT_EQ(events[0].buttons, button::kLeft | button::kRight | button::kMiddle);
}

TEST(Mouse, WheelPacketsHaveFourBytes) {
    MousePacketDecoder d(true);
    auto events = decode(d, {0x08, 0x01, 0x02, 0x01, 0x08 | 0x02, 0x00, 0x00, 0xFF});
    ASSERT_EQ(events.size(), 2U);
    EXPECT_EQ(events[0].wheel, 1);
    EXPECT_EQ(events[0].dx, 1);
    EXPECT_EQ(events[0].dy, 2);
    EXPECT_EQ(events[1].wheel, -1);
    EXPECT_EQ(events[1].buttons, button::kRight);
}

TEST(Mouse, LostSyncIsRecoveredAtTheNextPacketStart) {
    MousePacketDecoder d;
    // A stray movement byte (bit 3 clear) first: dropped, counted, and the
    // packet after it decodes whole.
    auto events = decode(d, {0x05, 0x08 | 0x01, 0x04, 0x00});
    ASSERT_EQ(events.size(), 1U);
    EXPECT_EQ(events[0].dx, 4);
    EXPECT_EQ(d.stats().resyncs, 1U);
}

TEST(Mouse, OverflowedAxisReportsNoMovement) {
    MousePacketDecoder d;
    auto events = decode(d, {0x08 | 0x40, 0x7F, 0x03});
    ASSERT_EQ(events.size(), 1U);
    EXPECT_EQ(events[0].dx, 0);
    EXPECT_EQ(events[0].dy, 3);
    EXPECT_EQ(d.stats().overflows, 1U);
}

TEST(Mouse, EventsInWords) {
    Event e;
    e.kind = Kind::Mouse;
    e.source = Source::Mouse;
    e.mouse = {5, -3, 1, button::kLeft};
    EventText text;
    describe_event(e, text);
    EXPECT_STREQ(text.c_str(), "mouse: dx=5 dy=-3 buttons=left wheel=1");
    e.mouse = {0, 0, -1, button::kLeft | button::kRight | button::kMiddle};
    text.clear();
    describe_event(e, text);
    EXPECT_STREQ(text.c_str(), "mouse: dx=0 dy=0 buttons=left+right+middle wheel=-1");
    e.mouse = {-256, 255, 0, 0};
    text.clear();
    describe_event(e, text);
    EXPECT_STREQ(text.c_str(), "mouse: dx=-256 dy=255 buttons=none wheel=0");
}

}  // namespace
