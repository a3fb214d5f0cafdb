// PS/2 mouse packets to mouse events: 3-byte packets, or 4 with the
// IntelliMouse wheel (device ID 3). Hardware-independent, host-tested.
// Owner: the mouse driver (one feeder at a time, like the keyboard).
#pragma once

#include "kernel/input/event.hpp"
#include "lib/ktl/types.hpp"

namespace kernel::input {

class MousePacketDecoder {
public:
    // wheel: the mouse answered ID 3 to the IntelliMouse sequence and sends
    // a fourth byte per packet.
    explicit constexpr MousePacketDecoder(bool wheel = false) : wheel_(wheel) {}
    void set_wheel(bool wheel) {
        wheel_ = wheel;
        have_ = 0;
    }
    [[nodiscard]] bool wheel() const { return wheel_; }
    void reset() { have_ = 0; }

    // Takes one byte; true and `out` set when it completes a packet.
    bool feed(u8 byte, MouseEvent& out);

    struct Stats {
        u64 packets;
        u64 resyncs;    // bytes dropped because byte 0's always-one bit was clear
        u64 overflows;  // packets whose movement overflowed (that axis reported 0)
    };
    [[nodiscard]] Stats stats() const { return stats_; }

private:
    bool wheel_;
    u8 bytes_[4] = {};
    u8 have_ = 0;
    Stats stats_{};
};

}  // namespace kernel::input
