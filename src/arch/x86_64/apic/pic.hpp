// The two 8259 PICs: remapped to PIC_VECTOR_BASE (away from the exception
// vectors they deliver on after reset) and fully masked, since the I/O
// APICs deliver device interrupts. Their vectors keep handlers: a masked
// PIC still raises spurious IRQ 7 and 15, which are recognised and counted
// (pic_logic.hpp), never acknowledged wrongly.
#pragma once

#include "lib/ktl/types.hpp"

namespace arch::pic {

// Remaps, masks every line and installs the handlers on the 16 vectors.
void remap_and_mask();
// Spurious IRQ 7/15 so far, and interrupts on a PIC vector that were not
// spurious (a PIC line that should have been masked).
[[nodiscard]] u64 spurious_count();
[[nodiscard]] u64 stray_count();

}  // namespace arch::pic
