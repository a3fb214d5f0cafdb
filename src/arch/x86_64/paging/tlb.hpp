// Invalidating stale translations after a page-table change.
#pragma once

#include "lib/address.hpp"

namespace arch::paging {

// Every translation of [range) is dropped from the TLB. The one function
// every page-table edit ends in: today it runs invlpg on this CPU (or
// flushes the whole TLB for a large range); with SMP it will also send the
// shootdown IPI to the other CPUs and wait for them, and no caller changes.
void invalidate_tlb(VirtRange range);

// The AddressSpace's Tlb policy for the kernel's tables.
struct KernelTlb {
    // A policy called on an instance (AddressSpace holds a Tlb&).
    // NOLINTNEXTLINE(readability-convert-member-functions-to-static)
    void invalidate(VirtRange range) { invalidate_tlb(range); }
};

}  // namespace arch::paging
