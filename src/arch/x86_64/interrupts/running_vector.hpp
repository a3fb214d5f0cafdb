// Which interrupt's handler runs on this CPU now, so that a fault inside
// any handler (the local APIC timer's, an IPI's, not only a device line's)
// is reported as inside it. Kept by interrupt_dispatch (dispatch.cpp).
#pragma once

#include "lib/ktl/types.hpp"

namespace arch {

// The vector (32 and up: an interrupt, not an exception) whose handler
// runs on this CPU now; 0 when none does.
[[nodiscard]] u8 running_vector_here();

}  // namespace arch
