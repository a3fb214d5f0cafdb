#include "kernel/shell/registry.hpp"

namespace kernel::shell {

namespace {
bool before(ktl::string_view a, ktl::string_view b) {
    for (usize i = 0; i < a.size() && i < b.size(); ++i)
        if (a[i] != b[i]) return a[i] < b[i];
    return a.size() < b.size();
}

Registry g_registry;
}  // namespace

bool Registry::add(const Command& command) {
    if (command.name.empty() || find(command.name) != nullptr) return false;
    // Kept sorted by name, so help and Tab list them alphabetically.
    usize at = commands_.size();
    while (at > 0 && before(command.name, commands_[at - 1]->name)) --at;
    return commands_.try_insert(at, &command);
}

const Command* Registry::find(ktl::string_view name) const {
    for (const Command* command : commands_)
        if (command->name == name) return command;
    return nullptr;
}

usize Registry::complete(ktl::string_view line_before, ktl::string_view word,
                         ktl::span<ktl::string_view> out) const {
    usize found = 0;
    auto offer = [&](ktl::string_view candidate) {
        if (candidate.starts_with(word) && found < out.size()) out[found++] = candidate;
    };
    Args words;
    if (!words.parse(line_before)) return 0;
    if (words.count() == 0) {
        for (const Command* c : commands_) offer(c->name);
        return found;
    }
    const Command* command = find(words.name());
    if (words.count() != 1 || command == nullptr || command->choices == nullptr) return 0;
    for (ktl::string_view choice : command->choices()) offer(choice);
    return found;
}

Registry& registry() { return g_registry; }

}  // namespace kernel::shell
