// What a shell command is: a name, its line in `help`, its usage, the fixed
// set its first argument is chosen from (for Tab), and the function that
// runs it. A command is one file (src/kernel/shell/commands/, or the layer
// whose code it shows) defining one `const Command`, and one registration
// line in src/init/shell.cpp (docs/guide/17-shell.md).
#pragma once

#include "kernel/shell/args.hpp"
#include "kernel/shell/line_editor.hpp"
#include "lib/format/format.hpp"
#include "lib/ktl/span.hpp"
#include "lib/ktl/string_view.hpp"

namespace kernel::shell {

// The side of the shell that typed the command: its output goes there and
// only there (the log still goes to every side).
class Io : public Terminal {
public:
    // Whether the user asked the running command to stop (Ctrl-C). Reads
    // the session's input, so a long command calls it between steps.
    [[nodiscard]] virtual bool interrupted() = 0;

    template <typename... Args>
    void print(kfmt::format_string<ktl::type_identity_t<Args>...> fmt, const Args&... args) {
        kfmt::Buffer<480> text;
        kfmt::format_to(text, fmt, args...);
        write(text.view());
    }

protected:
    ~Io() = default;
};

// What run() returns: Usage makes the shell print the command's usage.
enum class Status : u8 { Ok, Usage, Failed };

struct Command {
    ktl::string_view name;
    ktl::string_view summary;  // its line in help: what it shows or does
    ktl::string_view usage;    // "crash <kind>": the words after the name
    // The first argument's fixed set, for Tab and for usage; empty if free.
    ktl::span<const ktl::string_view> (*choices)() = nullptr;
    Status (*run)(Io& io, const Args& args) = nullptr;
};

}  // namespace kernel::shell
