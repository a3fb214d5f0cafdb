// Integer to digits, for the bases a format spec can ask for.
#pragma once

#include "lib/ktl/types.hpp"

namespace kfmt::detail {

// Enough for a u64 in base 2.
inline constexpr usize max_uint_digits = 64;

// Writes the digits of value so that they end just before `end` and returns
// where they start. Bases other than 10 must be 2, 8 or 16; those take shifts
// instead of divisions, and the base-10 loop divides by a constant, which
// compilers turn into a multiplication.
constexpr char* format_uint(char* end, u64 value, unsigned base, bool upper) {
    if (base == 10) {
        do {
            *--end = static_cast<char>('0' + value % 10);
            value /= 10;
        } while (value != 0);
        return end;
    }
    const char* digits = upper ? "0123456789ABCDEF" : "0123456789abcdef";
    const unsigned shift = base == 16 ? 4 : base == 8 ? 3 : 1;
    const u64 mask = base - 1;
    do {
        *--end = digits[value & mask];
        value >>= shift;
    } while (value != 0);
    return end;
}

}  // namespace kfmt::detail
