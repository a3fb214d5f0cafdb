#include "kernel/input/keymap.hpp"
#include "kernel/shell/commands/commands.hpp"

namespace kernel::shell::commands {

namespace {
// Enough for every map console-data gives the build (cmake/Keymaps.cmake).
constexpr usize kMaxMaps = 16;

ktl::span<const ktl::string_view> names() {
    static ktl::string_view list[kMaxMaps];
    usize count = 0;
    for (const input::Keymap& map : input::generated_keymaps())
        if (count < kMaxMaps) list[count++] = map.name;
    return {list, count};
}

Status run(Io& io, const Args& args) {
    if (args.count() > 2) return Status::Usage;
    if (args.count() == 1) {
        io.print("keymap: {} (known: {})\n", input::current_keymap().name, input::keymap_names());
        return Status::Ok;
    }
    if (!input::set_keymap(args[1])) {
        io.print("keymap: unknown keymap '{}'\n", args[1]);
        return Status::Usage;
    }
    io.print("keymap: {}\n", input::current_keymap().name);
    return Status::Ok;
}
}  // namespace

const Command kKeymap{"keymap", "show or set the keyboard's layout", "[name]", names, run};

}  // namespace kernel::shell::commands
