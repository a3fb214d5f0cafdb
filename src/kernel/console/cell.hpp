// One character cell of the console's text, shared by the grid, its
// scrollback and the backends.
#pragma once

#include "kernel/console/console.hpp"
#include "lib/ktl/types.hpp"

namespace kernel::console {

// One character cell, laid out as a VGA text-mode cell: character byte
// first, attribute second, so a cell is also the little-endian u16 that VGA
// memory holds.
struct Cell {
    u8 ch;    // code page 437
    u8 attr;  // foreground | background << 4 (Color values)

    friend constexpr bool operator==(Cell, Cell) = default;
};

constexpr u8 make_attribute(Color fg, Color bg) {
    return static_cast<u8>((static_cast<u8>(fg) & 0x0F) | ((static_cast<u8>(bg) & 0x0F) << 4));
}
constexpr Color foreground_of(u8 attr) { return static_cast<Color>(attr & 0x0F); }
constexpr Color background_of(u8 attr) { return static_cast<Color>(attr >> 4); }

}  // namespace kernel::console
