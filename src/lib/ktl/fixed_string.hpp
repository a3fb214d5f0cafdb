// A string copied into a fixed buffer, for text kept from memory that may be
// reused (the loader's boot information) before a heap exists.
#pragma once

#include "lib/ktl/string_view.hpp"
#include "lib/ktl/types.hpp"

namespace ktl {

template <usize Capacity>
struct FixedString {
    static_assert(Capacity >= 1);

    char chars[Capacity];  // Always NUL-terminated after assign().
    u32 length;
    bool truncated;  // The source did not fit; `chars` holds its prefix.

    // Copies `text`, keeping room for the terminating NUL.
    void assign(ktl::string_view text) {
        usize n = text.size();
        truncated = n > Capacity - 1;
        if (truncated) n = Capacity - 1;
        if (n != 0) __builtin_memcpy(chars, text.data(), n);
        chars[n] = '\0';
        length = static_cast<u32>(n);
    }

    [[nodiscard]] ktl::string_view view() const { return {chars, length}; }
    [[nodiscard]] const char* c_str() const { return chars; }
    [[nodiscard]] static constexpr usize capacity() { return Capacity - 1; }
};

}  // namespace ktl
