#include "kernel/shell/router.hpp"

#include "kernel/shell/key_bytes.hpp"

namespace kernel::shell {

void Router::deliver(const input::Event& event) {
    if (event.kind != input::Kind::Key) return;  // the shell has no use for the mouse
    Session* session = event.source == input::Source::Serial ? serial_ : screen_;
    if (session == nullptr) return;
    char bytes[kMaxKeyBytes];
    const usize count = key_bytes(event.key, bytes);
    for (usize i = 0; i < count; ++i) session->feed(bytes[i]);
}

}  // namespace kernel::shell
