// Pixel layouts the framebuffer console tests draw in: the name (for
// parameterised test names), the depth and each colour field's position
// and width, as a loader's framebuffer tag gives them.
#pragma once

#include "lib/ktl/types.hpp"

namespace kernel::console {

struct Layout {
    const char* name;
    u8 bpp;
    u8 red_pos, red_size, green_pos, green_size, blue_pos, blue_size;
};

inline constexpr Layout kXrgb8888{"xrgb8888", 32, 16, 8, 8, 8, 0, 8};
inline constexpr Layout kXbgr8888{"xbgr8888", 32, 0, 8, 8, 8, 16, 8};
inline constexpr Layout kRgb888{"rgb888", 24, 16, 8, 8, 8, 0, 8};
inline constexpr Layout kRgb565{"rgb565", 16, 11, 5, 5, 6, 0, 5};

}  // namespace kernel::console
