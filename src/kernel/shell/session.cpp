#include "kernel/shell/session.hpp"

#include "kernel/shell/dispatch.hpp"

namespace kernel::shell {

namespace {
// LineEditor's completer is a plain function: the one registry is the one
// every session completes from.
usize complete(ktl::string_view before, ktl::string_view word, ktl::span<ktl::string_view> out) {
    return registry().complete(before, word, out);
}
}  // namespace

Session::Session(Io& io, const Registry& commands)
    : io_(io), commands_(commands), editor_(io, kPrompt, complete) {}

void Session::feed(char byte) {
    switch (editor_.feed(byte)) {
        case LineEditor::Event::Line:
            execute(io_, commands_, editor_.line());
            editor_.start();
            break;
        case LineEditor::Event::Cancelled:
            editor_.start();
            break;
        case LineEditor::Event::None:
            break;
    }
}

}  // namespace kernel::shell
