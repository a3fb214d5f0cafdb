// A command line split into words. Words are separated by spaces; there is
// no quoting (no command takes text with spaces except echo, which joins
// its words again), so what a user sees is what a command gets.
#pragma once

#include "lib/ktl/string_view.hpp"
#include "lib/ktl/types.hpp"

namespace kernel::shell {

class Args {
public:
    static constexpr usize kMaxWords = 16;

    // Splits `line`; false when it has more than kMaxWords words (the words
    // after the limit are dropped, so the caller must refuse the line).
    bool parse(ktl::string_view line);

    // Word 0 is the command's name.
    [[nodiscard]] usize count() const { return count_; }
    [[nodiscard]] ktl::string_view operator[](usize i) const {
        return i < count_ ? words_[i] : ktl::string_view{};
    }
    [[nodiscard]] ktl::string_view name() const { return (*this)[0]; }
    // Whether `flag` is one of the arguments after the name.
    [[nodiscard]] bool has(ktl::string_view flag) const;

private:
    ktl::string_view words_[kMaxWords];
    usize count_ = 0;
};

}  // namespace kernel::shell
