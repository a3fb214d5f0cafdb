// The early frame allocator: page-table pages for the kernel's own tables,
// handed out in order from a static pool in .bss. It never frees. Enough
// for the kernel image (4 KiB pages) plus a direct map of all RAM: with
// 1 GiB pages any amount, with 2 MiB pages (CPUs without 1 GiB pages) about
// 240 GiB, one page directory per GiB. When it runs out the kernel panics
// saying so; a real frame allocator takes over later.
#pragma once

#include "arch/x86_64/paging/address.hpp"
#include "lib/ktl/types.hpp"

namespace arch::paging::early_frames {

inline constexpr usize kPoolPages = 256;

// A zeroed, 4 KiB-aligned page from the pool. Panics when the pool is empty.
[[nodiscard]] PhysAddr allocate();
[[nodiscard]] usize used();

}  // namespace arch::paging::early_frames
