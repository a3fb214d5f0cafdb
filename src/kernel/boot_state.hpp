// What kernel_main learned at boot, for the parts of the kernel (and its
// in-kernel tests) that need it later. Read-only after boot.
#pragma once

#include "kernel/boot/multiboot2/boot_info.hpp"

namespace kernel {

[[nodiscard]] const boot::multiboot2::BootInfo& boot_info();

}  // namespace kernel
