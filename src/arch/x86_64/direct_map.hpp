// Physical memory as the kernel reaches it (see docs/memory.md).
//
// Two modes:
//   early  (before arch::paging::init): the boot tables map physical
//          0..4 GiB 1:1, so a physical address below 4 GiB is also its
//          virtual address;
//   final  (after it): the direct map, physical P at kDirectMapBase + P, for
//          exactly the ranges paging::init mapped: the memory map's RAM and
//          ACPI regions (not reserved ones, which may be MMIO), the first
//          MiB, the image, the boot information, modules, symbol tables and
//          the framebuffer, rounded out to 4 KiB.
//
// phys_to_virt() and directly_mapped() are declared in arch/arch.hpp, the
// portable interface; this header adds what only paging needs.
#pragma once

#include "arch/arch.hpp"
#include "arch/x86_64/paging/range_set.hpp"
#include "lib/ktl/types.hpp"

namespace arch {

// PML4 entry 256: the first canonical upper-half address. Up to 64 TiB
// (PML4 entries 256..383) of physical memory fit below the next region.
inline constexpr u64 kDirectMapBase = 0xFFFF'8000'0000'0000ULL;
inline constexpr u64 kDirectMapMaxPhys = 64ULL << 40;
// What the boot tables map 1:1 before paging::init.
inline constexpr u64 kEarlyIdentityLimit = 4ULL << 30;

// Switches to the final mode: called once by paging::init right after it
// loads its tables. `ranges` (sorted, disjoint) must stay valid forever.
void activate_direct_map(const PhysRange* ranges, usize count);
[[nodiscard]] bool direct_map_active();

}  // namespace arch
