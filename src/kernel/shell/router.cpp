#include "kernel/shell/router.hpp"

#include "kernel/log/log.hpp"
#include "kernel/shell/key_bytes.hpp"

namespace kernel::shell {

namespace {
bool is_modifier(input::Key key) {
    switch (key) {
        case input::Key::Shift:
        case input::Key::Ctrl:
        case input::Key::Alt:
        case input::Key::AltGr:
        case input::Key::CapsLock:
        case input::Key::NumLock:
        case input::Key::ScrollLock:
            return true;
        default:
            return false;
    }
}
}  // namespace

bool Router::pages_view(const input::KeyEvent& key) {
    return (key.key == input::Key::PageUp || key.key == input::Key::PageDown) &&
           (key.modifiers & input::modifier::kShift) != 0;
}

void Router::deliver(const input::Event& event) {
    if (event.kind != input::Kind::Key) return;  // the shell has no use for the mouse
    if (event.source == input::Source::Keyboard && screen_view_ != nullptr && event.key.pressed) {
        if (pages_view(event.key)) {
            log::move_view_of(*screen_view_, event.key.key == input::Key::PageUp
                                                 ? log::ViewMove::PageBack
                                                 : log::ViewMove::PageForward);
            return;
        }
        if (!is_modifier(event.key.key)) log::move_view_of(*screen_view_, log::ViewMove::Bottom);
    }
    Session* session = event.source == input::Source::Serial ? serial_ : screen_;
    if (session == nullptr) return;
    char bytes[kMaxKeyBytes];
    const usize count = key_bytes(event.key, bytes);
    for (usize i = 0; i < count; ++i) session->feed(bytes[i]);
    // é typed on either side, Alt-x: a character that gives no byte.
    if (count == 0 && event.key.pressed && event.key.key == input::Key::Character)
        session->refuse();
}

}  // namespace kernel::shell
