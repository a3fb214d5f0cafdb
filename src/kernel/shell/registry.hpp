// The shell's commands. Owner: init, which adds every command before the
// first session starts (src/init/shell.cpp); from then on it is only read,
// by any session, so it needs no lock.
#pragma once

#include "kernel/shell/command.hpp"
#include "lib/ktl/span.hpp"
#include "lib/ktl/string_view.hpp"
#include "lib/ktl/vector.hpp"

namespace kernel::shell {

class Registry {
public:
    // False (and nothing added) when the name is empty or taken, or the
    // heap has no room: init panics then, as a missing command is a build
    // mistake (or a kernel out of memory at boot).
    [[nodiscard]] bool add(const Command& command);
    [[nodiscard]] const Command* find(ktl::string_view name) const;
    [[nodiscard]] ktl::span<const Command* const> all() const {
        return {commands_.data(), commands_.size()};
    }

    // Tab: the command names starting with `word` when it is the first
    // word, else the choices of the command named before it that start
    // with `word` (only for the first argument). Fills `out`, returns how
    // many matched (at most out.size()).
    [[nodiscard]] usize complete(ktl::string_view before, ktl::string_view word,
                                 ktl::span<ktl::string_view> out) const;

    void clear() { commands_.clear(); }

private:
    ktl::vector<const Command*> commands_;  // sorted by name
};

// The kernel's one registry.
[[nodiscard]] Registry& registry();

}  // namespace kernel::shell
