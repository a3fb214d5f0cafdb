// Invalidating stale translations after a page-table change.
#pragma once

#include "lib/address.hpp"

namespace arch::paging {

// Every translation of [range) is dropped from the TLB of every online
// CPU. The one function every page-table edit ends in: invlpg on this CPU
// (or a full flush for a large range), then a shootdown of the other CPUs
// (smp/nmi_ipi.hpp), waited for.
void invalidate_tlb(VirtRange range);
// This CPU's TLB only: the shootdown's target side.
void invalidate_local(VirtRange range);

// The AddressSpace's Tlb policy for the kernel's tables.
struct KernelTlb {
    // A policy called on an instance (AddressSpace holds a Tlb&).
    // NOLINTNEXTLINE(readability-convert-member-functions-to-static)
    void invalidate(VirtRange range) { invalidate_tlb(range); }
};

}  // namespace arch::paging
