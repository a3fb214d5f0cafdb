// Input to the side that typed it: key events from the input queue go to
// the session of their source (the keyboard's to the screen, the serial
// input driver's to COM1), as the bytes each session's line editor takes
// (key_bytes.hpp).
#pragma once

#include "kernel/input/event.hpp"
#include "kernel/log/sink.hpp"
#include "kernel/shell/session.hpp"

namespace kernel::shell {

// The keyboard's Shift+PgUp and Shift+PgDn page the screen's scrollback
// (`screen_view`, moved under the log's lock) and never reach the session;
// any other key pressed on the keyboard returns the view to the bottom
// before the session sees it (modifiers alone do not, so Shift can be held
// between pages).
class Router {
public:
    // Any may be null: that side has no session (no screen, no COM1), or
    // the screen has no scrollback.
    Router(Session* screen, Session* serial, log::Sink* screen_view = nullptr)
        : screen_(screen), serial_(serial), screen_view_(screen_view) {}

    void deliver(const input::Event& event);
    // Whether a key event moves the screen's view rather than typing.
    [[nodiscard]] static bool pages_view(const input::KeyEvent& key);

private:
    Session* screen_;
    Session* serial_;
    log::Sink* screen_view_;
};

}  // namespace kernel::shell
