// Input to the side that typed it: key events from the input queue go to
// the session of their source (the keyboard's to the screen, the serial
// driver's to COM1); bytes read straight from COM1 (until the serial input
// driver exists: docs/shell.md, "Input") go to the COM1 session.
#pragma once

#include "kernel/input/event.hpp"
#include "kernel/shell/session.hpp"

namespace kernel::shell {

class Router {
public:
    // Either may be null: that side has no session (no screen, no COM1).
    Router(Session* screen, Session* serial) : screen_(screen), serial_(serial) {}

    void deliver(const input::Event& event);
    void serial_byte(char byte) {
        if (serial_ != nullptr) serial_->feed(byte);
    }

private:
    Session* screen_;
    Session* serial_;
};

}  // namespace kernel::shell
