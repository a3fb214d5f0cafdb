// What kernel_main learned at boot, for the parts of the kernel (and its
// in-kernel tests) that need it later. Read-only after boot.
#pragma once

#include "boot/params.hpp"

namespace kernel {

[[nodiscard]] const boot::BootParams& boot_params();

}  // namespace kernel
