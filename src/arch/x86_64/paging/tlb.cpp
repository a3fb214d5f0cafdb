#include "arch/x86_64/paging/tlb.hpp"

#include "arch/x86_64/bits.h"
#include "arch/x86_64/cpu.hpp"
#include "arch/x86_64/smp/nmi_ipi.hpp"
#include "lib/units.hpp"

namespace arch::paging {

namespace {
// Beyond this many pages one full flush is cheaper than invlpg each.
constexpr u64 kMaxInvlpgPages = 64;
}  // namespace

void invalidate_local(VirtRange range) {
    if (range.empty()) return;
    const u64 first = range.base().value() & ~(kPageSize - 1);
    const u64 pages = (range.end().value() - first + kPageSize - 1) / kPageSize;
    if (pages <= kMaxInvlpgPages) {
        for (u64 i = 0; i < pages; ++i)
            asm volatile("invlpg (%0)" : : "r"(first + i * kPageSize) : "memory");
        return;
    }
    // Kernel mappings are global: a CR3 load keeps them, toggling CR4.PGE
    // does not (SDM Vol. 3A, 4.10.4.1).
    const u64 cr4 = read_cr4();
    if ((cr4 & CR4_PGE) != 0) {
        write_cr4(cr4 & ~CR4_PGE);
        write_cr4(cr4);
    } else {
        write_cr3(read_cr3());
    }
}

void invalidate_tlb(VirtRange range) {
    invalidate_local(range);
    smp::shoot_down(range);
}

}  // namespace arch::paging
