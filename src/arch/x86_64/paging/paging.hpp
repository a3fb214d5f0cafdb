// The kernel's address space: its own page tables, built once at boot
// (layout and reasons in docs/memory.md).
#pragma once

#include "arch/x86_64/paging/mapper.hpp"
#include "boot/params.hpp"
#include "lib/ktl/optional.hpp"
#include "lib/ktl/types.hpp"

namespace arch::paging {

// Builds the kernel's PML4 and loads it into CR3:
//   - the kernel image at -2 GiB with 4 KiB pages, per section: .text R-X,
//     .rodata R--, .data/.bss RW- (NX only when the CPU has it);
//   - the guard pages of the registered kernel stacks unmapped;
//   - the direct map at kDirectMapBase of the memory (RAM and ACPI) regions,
//     the first MiB, the boot information, modules, symbol tables and
//     framebuffer (RW-, large pages; the kernel's code read-only), after
//     which phys_to_virt() uses it and `after_switch` runs (the boot
//     console moves onto the direct map there, before anything is logged);
//   - nothing in the lower half: no identity map, so page 0 faults;
// and turns on CR0.WP, EFER.NXE, CR4.PGE/SMEP/SMAP/UMIP where the CPU has
// them. Logs what it did. Call once, after the boot console is up;
// panics (with the reason) on any failure.
// Page-table pages come from `tables` (arch::PageTableSource); a table
// that cannot be had is a panic saying so.
using TableSource = ktl::optional<PhysAddr> (*)();
void init(const boot::BootParams& info, TableSource tables, void (*after_switch)());
[[nodiscard]] bool initialized();
// 2^MAXPHYADDR (CPUID 0x80000008; 2^52 before init): no physical address at
// or above it can be mapped. Firmware tables may name one (a hostile HPET
// or MCFG base); mapping it would set reserved bits and fault on use.
[[nodiscard]] u64 physical_limit();
void set_table_source(TableSource tables);
// Page-table pages taken from the sources so far.
[[nodiscard]] u64 table_pages();

// Unmaps the guard page of every stack in the kernel's stack registry
// (kernel/mm/kernel_stacks.hpp) that is still mapped; init does it for the
// stacks registered before it. Panics when one cannot be unmapped.
void unmap_guard_pages();

// The translation of `virt` in the tables CR3 holds now (the boot tables
// before init), walked through phys_to_virt: for fault diagnostics and the
// self-tests.
[[nodiscard]] ktl::optional<Translation> lookup(u64 virt);

// Calls visit(const Translation&) for every page mapped by the live tables.
template <typename Visitor>
void for_each_mapped_page(Visitor&& visit);

// What init turned on (all false before init).
struct Protections {
    bool nx;        // EFER.NXE: non-executable pages
    bool wp;        // CR0.WP: read-only pages are read-only for the kernel too
    bool smep;      // CR4.SMEP: no executing user pages at CPL 0
    bool smap;      // CR4.SMAP: no touching user pages at CPL 0 (unless RFLAGS.AC)
    bool umip;      // CR4.UMIP: SGDT/SIDT/SLDT/SMSW/STR fault at CPL > 0
    bool pge;       // CR4.PGE: global kernel pages survive CR3 loads
    bool pages_1g;  // the direct map may use 1 GiB pages
};
[[nodiscard]] const Protections& protections();

}  // namespace arch::paging

// ---- implementation details of the template above ----
namespace arch::paging::detail {

// The kernel's page tables, reached through the direct map (the boot
// tables' identity map before init switches to them).
struct LiveTables {
    u64* table(PhysAddr phys);
    ktl::optional<PhysAddr> allocate_table();
    static void flush(VirtAddr virt);
};
[[nodiscard]] Mapper<LiveTables> live_mapper();

}  // namespace arch::paging::detail

template <typename Visitor>
void arch::paging::for_each_mapped_page(Visitor&& visit) {
    detail::live_mapper().for_each_page(visit);
}
