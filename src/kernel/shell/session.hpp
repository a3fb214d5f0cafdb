// One shell session: a prompt, a line editor and the commands, on one side
// (the screen and keyboard, or COM1). Owner: the kernel's input loop
// (src/init/shell.cpp), which alone feeds it, so it has no lock.
#pragma once

#include "kernel/shell/command.hpp"
#include "kernel/shell/line_editor.hpp"
#include "kernel/shell/registry.hpp"

namespace kernel::shell {

class Session {
public:
    static constexpr ktl::string_view kPrompt = "keel> ";

    Session(Io& io, const Registry& commands);

    // Shows the prompt.
    void start() { editor_.start(); }
    // One byte of input (keys as the editor takes them: key_bytes.hpp);
    // a finished line runs its command, then the prompt comes back.
    void feed(char byte);
    // A key the line cannot take (a character outside printable ASCII,
    // Alt with a letter): the bell, as for a line that is full, so that it
    // is not dropped without a sign.
    void refuse() { io_.bell(); }

private:
    Io& io_;
    const Registry& commands_;
    LineEditor editor_;
};

}  // namespace kernel::shell
