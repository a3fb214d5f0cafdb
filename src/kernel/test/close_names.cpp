#include "kernel/test/close_names.hpp"

namespace kernel {

namespace {
constexpr usize kMaxLength = 64;

u32 edit_distance(ktl::string_view a, ktl::string_view b) {
    // One row of the classic dynamic-programming table at a time.
    u32 row[kMaxLength + 1] = {};
    for (usize j = 0; j <= b.size(); ++j) row[j] = static_cast<u32>(j);
    for (usize i = 1; i <= a.size(); ++i) {
        u32 diagonal = row[0];
        row[0] = static_cast<u32>(i);
        for (usize j = 1; j <= b.size(); ++j) {
            const u32 above = row[j];
            const u32 substitute = diagonal + (a[i - 1] == b[j - 1] ? 0 : 1);
            const u32 remove = above + 1;
            const u32 insert = row[j - 1] + 1;
            u32 best = substitute < remove ? substitute : remove;
            row[j] = best < insert ? best : insert;
            diagonal = above;
        }
    }
    return row[b.size()];
}

ktl::string_view clip(ktl::string_view s) {
    return s.size() > kMaxLength ? s.substr(0, kMaxLength) : s;
}
}  // namespace

u32 prefix_distance(ktl::string_view typed, ktl::string_view name) {
    typed = clip(typed);
    name = clip(name);
    const ktl::string_view start = name.size() > typed.size() ? name.substr(0, typed.size()) : name;
    return edit_distance(typed, start);
}

usize close_names(ktl::string_view typed, ktl::span<const ktl::string_view> names,
                  ktl::span<ktl::string_view> out) {
    const u32 limit = typed.size() / 3 > 2 ? static_cast<u32>(typed.size() / 3) : 2;
    usize count = 0;
    for (u32 distance = 0; distance <= limit && count < out.size(); ++distance) {
        for (ktl::string_view name : names) {
            if (count == out.size()) break;
            if (prefix_distance(typed, name) != distance) continue;
            bool seen = false;
            for (usize i = 0; i < count; ++i) seen = seen || out[i] == name;
            if (!seen) out[count++] = name;
        }
    }
    return count;
}

}  // namespace kernel
