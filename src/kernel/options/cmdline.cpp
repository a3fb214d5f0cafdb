#include "kernel/options/cmdline.hpp"

namespace kernel::cmdline {
namespace {

constexpr bool is_space(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }

// Index of the first `wanted` in text[from, size) that is not escaped by a
// backslash, or npos.
usize find_unescaped(ktl::string_view text, char wanted, usize from = 0) {
    for (usize i = from; i < text.size(); ++i) {
        if (text[i] == '\\') {
            ++i;  // Skip the escaped character.
            continue;
        }
        if (text[i] == wanted) return i;
    }
    return ktl::string_view::npos;
}

bool has_unescaped_quote(ktl::string_view text) {
    return find_unescaped(text, '"') != ktl::string_view::npos;
}

// `"..."` with no other unescaped quote: yields the inside.
bool strip_quotes(ktl::string_view text, ktl::string_view& inside) {
    if (text.size() < 2 || text[0] != '"') return false;
    if (find_unescaped(text, '"', 1) != text.size() - 1) return false;
    inside = text.substr(1, text.size() - 2);
    return true;
}

// Splits an unquoted `key[=value]`, where the value may itself be quoted.
SyntaxError split_option(ktl::string_view text, bool allow_quoted_value, Option& option) {
    const usize eq = find_unescaped(text, '=');
    option.key = text.substr(0, eq);
    option.has_value = eq != ktl::string_view::npos;
    option.value = option.has_value ? text.substr(eq + 1) : ktl::string_view{};
    if (has_unescaped_quote(option.key)) return SyntaxError::MisplacedQuote;
    if (option.key.empty()) return SyntaxError::EmptyKey;
    if (!option.has_value || !has_unescaped_quote(option.value)) return SyntaxError::None;
    ktl::string_view inside;
    if (!allow_quoted_value || !strip_quotes(option.value, inside))
        return SyntaxError::MisplacedQuote;
    option.value = inside;
    return SyntaxError::None;
}

SyntaxError classify(ktl::string_view text, Option& option) {
    ktl::string_view inside;
    if (text[0] == '"') {
        // GRUB's form: the whole argument quoted, "key=a b".
        if (!strip_quotes(text, inside)) return SyntaxError::MisplacedQuote;
        return split_option(inside, false, option);
    }
    return split_option(text, true, option);
}

}  // namespace

ktl::string_view describe(SyntaxError error) {
    switch (error) {
        case SyntaxError::None:
            return "option is well-formed";
        case SyntaxError::EmptyKey:
            return "option has an empty name";
        case SyntaxError::UnterminatedQuote:
            return "option has an opening quote without a closing one";
        case SyntaxError::MisplacedQuote:
            return "option has a quote that does not enclose its whole value";
    }
    return "option is malformed";
}

bool Tokenizer::next(Token& token) {
    while (pos_ < text_.size() && is_space(text_[pos_])) ++pos_;
    if (pos_ == text_.size()) return false;

    const usize start = pos_;
    bool quoted = false;
    while (pos_ < text_.size()) {
        const char c = text_[pos_];
        if (c == '\\' && pos_ + 1 < text_.size()) {
            pos_ += 2;  // An escaped character never ends a token or a quote.
            continue;
        }
        if (c == '"')
            quoted = !quoted;
        else if (!quoted && is_space(c))
            break;
        ++pos_;
    }

    token.text = text_.substr(start, pos_ - start);
    token.option = {};
    token.error = quoted ? SyntaxError::UnterminatedQuote : classify(token.text, token.option);
    if (token.error != SyntaxError::None) token.option = {};
    return true;
}

ktl::optional<Option> lookup(ktl::string_view cmdline, ktl::string_view key) {
    ktl::optional<Option> found;
    Tokenizer tokens(cmdline);
    Token token;
    while (tokens.next(token))
        if (token.error == SyntaxError::None && token.option.key == key) found = token.option;
    return found;
}

usize unescape(ktl::string_view raw, ktl::span<char> out) {
    usize n = 0;
    for (usize i = 0; i < raw.size() && n < out.size(); ++i) {
        char c = raw[i];
        if (c == '\\' && i + 1 < raw.size()) {
            const char next = raw[i + 1];
            if (next == '\\' || next == '"' || next == '\'') {
                c = next;
                ++i;
            }
        }
        out[n++] = c;
    }
    return n;
}

}  // namespace kernel::cmdline
