#include "kernel/log/escape.hpp"

namespace kernel::log {

namespace {
bool printable(unsigned char byte) { return byte >= 0x20 && byte <= 0x7E; }
usize escaped_size(unsigned char byte) { return printable(byte) ? 1 : 4; }
}  // namespace

ktl::string_view escape_unprintable(ktl::string_view text, ktl::span<char> out) {
    constexpr char kHex[] = "0123456789abcdef";
    constexpr ktl::string_view kEllipsis = "...";
    usize total = 0;
    for (char c : text) total += escaped_size(static_cast<unsigned char>(c));
    // All of it, or as much as leaves room for the ellipsis.
    const bool cut = total > out.size();
    if (cut && out.size() < kEllipsis.size()) return {};
    const usize room = cut ? out.size() - kEllipsis.size() : out.size();
    usize n = 0;
    for (char c : text) {
        const auto byte = static_cast<unsigned char>(c);
        if (n + escaped_size(byte) > room) break;
        if (printable(byte)) {
            out[n++] = c;
        } else {
            out[n++] = '\\';
            out[n++] = 'x';
            out[n++] = kHex[byte >> 4];
            out[n++] = kHex[byte & 0xF];
        }
    }
    if (cut)
        for (char c : kEllipsis) out[n++] = c;
    return {out.data(), n};
}

}  // namespace kernel::log
