// A monochrome bitmap font for the framebuffer console, generated at build
// time from a PSF console font by tools/psf2cpp.py (see cmake/Font.cmake).
#pragma once

#include "lib/ktl/types.hpp"

namespace kernel::console {

struct Font {
    u32 glyph_width;    // pixels, at most 32
    u32 glyph_height;   // pixels (rows)
    u32 bytes_per_row;  // (glyph_width + 7) / 8; bit 7 of the first byte is the leftmost pixel
    u32 glyph_count;
    const u8* glyphs;  // glyph_count * glyph_height * bytes_per_row bytes
    // Glyph index for each character byte the console stores (code page 437).
    // Bytes the font cannot draw map to its replacement glyph.
    u16 glyph_for_char[256];

    [[nodiscard]] constexpr usize glyph_bytes() const {
        return static_cast<usize>(glyph_height) * bytes_per_row;
    }
    // The bitmap for a character byte: glyph_height rows of bytes_per_row bytes.
    [[nodiscard]] constexpr const u8* glyph(u8 ch) const {
        u32 index = glyph_for_char[ch];
        if (index >= glyph_count) index = 0;
        return glyphs + index * glyph_bytes();
    }
};

// Terminus 8x16 (Debian console-setup-linux, Uni2-Terminus16 by default).
extern const Font kTerminusFont;

}  // namespace kernel::console
