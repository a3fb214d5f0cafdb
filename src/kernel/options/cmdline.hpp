// A generic kernel command-line tokenizer: whitespace-separated tokens,
// each `key`, `key=value` or `key="value with spaces"`. GRUB's own quoting is
// understood too: it wraps a whole argument that contains spaces in quotes
// ("key=a b") and backslash-escapes \ ' and " (grub-core/lib/cmdline.c).
//
// Every string returned is a view into the command line itself: nothing is
// copied, so the command line must outlive the views (BootInfo's copy does).
// Backslash escapes are left as written; unescape() decodes them on demand.
// The known options are interpreted by kernel_options.hpp.
#pragma once

#include "lib/ktl/optional.hpp"
#include "lib/ktl/span.hpp"
#include "lib/ktl/string_view.hpp"
#include "lib/ktl/types.hpp"

namespace kernel::cmdline {

enum class SyntaxError : u8 {
    None = 0,
    EmptyKey,           // `=value`, `="a b"`, `""`.
    UnterminatedQuote,  // `key="a b` (the token then runs to the end).
    MisplacedQuote,     // A quote inside a key, or not around a whole value.
};

// A plain-English phrase, e.g. "option has an empty name".
[[nodiscard]] ktl::string_view describe(SyntaxError error);

struct Option {
    ktl::string_view key;
    ktl::string_view value;  // Without surrounding quotes; empty for flags.
    bool has_value = false;  // `key=` has an empty value; `key` has none.
};

struct Token {
    ktl::string_view text;  // The token exactly as written.
    Option option;          // Meaningful only when error == None.
    SyntaxError error = SyntaxError::None;
};

class Tokenizer {
public:
    explicit Tokenizer(ktl::string_view cmdline) : text_(cmdline) {}

    // The next token, well-formed or not; false once the line is used up.
    // A malformed token is reported and skipped, so one typo does not hide
    // the options after it.
    [[nodiscard]] bool next(Token& token);

private:
    ktl::string_view text_;
    usize pos_ = 0;
};

// The last well-formed option named `key` (later options override earlier
// ones), or nullopt.
[[nodiscard]] ktl::optional<Option> lookup(ktl::string_view cmdline, ktl::string_view key);

// Decodes GRUB's escapes \\ \" \' in `raw` into `out` and returns the length
// written; other backslashes are kept. Stops when `out` is full.
[[nodiscard]] usize unescape(ktl::string_view raw, ktl::span<char> out);

}  // namespace kernel::cmdline
