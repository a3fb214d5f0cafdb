#include "kernel/input/mouse.hpp"

namespace kernel::input {
namespace {

// Byte 0 of a packet (the PS/2 mouse's standard report).
constexpr u8 kLeft = 1U << 0, kRight = 1U << 1, kMiddle = 1U << 2;
constexpr u8 kAlwaysOne = 1U << 3;
constexpr u8 kXSign = 1U << 4, kYSign = 1U << 5;
constexpr u8 kXOverflow = 1U << 6, kYOverflow = 1U << 7;

// A 9-bit two's complement movement: the sign bit from byte 0.
i16 movement(u8 low, bool negative) {
    return static_cast<i16>(negative ? static_cast<i16>(low) - 256 : static_cast<i16>(low));
}

}  // namespace

bool MousePacketDecoder::feed(u8 byte, MouseEvent& out) {
    // A byte lost (or one too many) shifts every later packet; byte 0's
    // always-one bit is the only mark of a packet's start, so a byte 0
    // without it is dropped until one with it comes.
    if (have_ == 0 && (byte & kAlwaysOne) == 0) {
        ++stats_.resyncs;
        return false;
    }
    bytes_[have_++] = byte;
    if (have_ < (wheel_ ? 4 : 3)) return false;
    have_ = 0;

    const u8 head = bytes_[0];
    MouseEvent event;
    event.buttons = static_cast<u8>(((head & kLeft) != 0 ? button::kLeft : 0) |
                                    ((head & kRight) != 0 ? button::kRight : 0) |
                                    ((head & kMiddle) != 0 ? button::kMiddle : 0));
    // An overflowed axis carries no usable count: reported as no movement
    // rather than a jump the wrong way.
    if ((head & (kXOverflow | kYOverflow)) != 0) ++stats_.overflows;
    event.dx = (head & kXOverflow) != 0 ? i16{0} : movement(bytes_[1], (head & kXSign) != 0);
    event.dy = (head & kYOverflow) != 0 ? i16{0} : movement(bytes_[2], (head & kYSign) != 0);
    // ID 3: the fourth byte is the wheel's movement, signed, down positive;
    // only -8..7 are valid (the upper bits belong to ID 4's extra buttons).
    event.wheel = wheel_ ? static_cast<i8>(bytes_[3]) : i8{0};
    if (event.wheel < -8 || event.wheel > 7) event.wheel = 0;
    ++stats_.packets;
    out = event;
    return true;
}

}  // namespace kernel::input
