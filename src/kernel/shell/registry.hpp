// The shell's commands. Owner: init, which adds every command before the
// first session starts (src/init/shell.cpp); from then on it is only read,
// by any session, so it needs no lock.
#pragma once

#include "kernel/shell/command.hpp"
#include "lib/ktl/span.hpp"
#include "lib/ktl/string_view.hpp"

namespace kernel::shell {

class Registry {
public:
    static constexpr usize kCapacity = 48;

    // False (and nothing added) when full or the name is taken: init
    // panics then, as a missing command is a build mistake.
    bool add(const Command& command);
    [[nodiscard]] const Command* find(ktl::string_view name) const;
    [[nodiscard]] ktl::span<const Command* const> all() const { return {commands_, count_}; }

    // Tab: the command names starting with `word` when it is the first
    // word, else the choices of the command named before it that start
    // with `word` (only for the first argument). Fills `out`, returns how
    // many matched (at most out.size()).
    [[nodiscard]] usize complete(ktl::string_view before, ktl::string_view word,
                                 ktl::span<ktl::string_view> out) const;

    void clear() { count_ = 0; }

private:
    const Command* commands_[kCapacity]{};
    usize count_ = 0;
};

// The kernel's one registry.
[[nodiscard]] Registry& registry();

}  // namespace kernel::shell
