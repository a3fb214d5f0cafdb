// Where the kernel image is in physical memory. It is linked to load at
// KERNEL_LOAD_ADDRESS, but a Multiboot2 loader may relocate it (bits.h,
// docs/boot.md "Relocation"); boot32.S measures the offset before paging and
// leaves it in boot_load_offset. Every physical address of the image is
// computed here, from that one offset.
#pragma once

#include "arch/x86_64/bits.h"
#include "lib/ktl/types.hpp"

// boot32.S: runtime minus link physical address of the image (a multiple of
// 2 MiB; 0 when loaded at KERNEL_LOAD_ADDRESS). Written once before paging.
extern "C" const u64 boot_load_offset;
// boot32.S: IMAGE_CHECK_IN_RAM or IMAGE_CHECK_NO_MAP (NOT_IN_RAM halts there).
extern "C" const u32 boot_image_check;

namespace arch::image {

[[nodiscard]] inline u64 load_offset() { return boot_load_offset; }

// The physical address the image really starts at.
[[nodiscard]] inline u64 physical_base() { return KERNEL_LOAD_ADDRESS + load_offset(); }

// The physical address of a higher-half kernel address (code, data, stacks).
[[nodiscard]] inline u64 kernel_phys(const volatile void* virt) {
    return reinterpret_cast<uptr>(virt) - KERNEL_VIRTUAL_BASE + load_offset();
}

// The physical address of a low, physically linked symbol (.boot.*, the
// linker script's __kernel_physical_start/end).
[[nodiscard]] inline u64 boot_phys(const void* linked) {
    return reinterpret_cast<uptr>(linked) + load_offset();
}

}  // namespace arch::image
