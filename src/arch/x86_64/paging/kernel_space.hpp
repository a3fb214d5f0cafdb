// The kernel's address space after boot: the AddressSpace API over the live
// tables, behind one lock, and the MMIO area that map_mmio() and
// map_readonly() (arch/arch.hpp) hand out (docs/virtual-memory.md).
#pragma once

#include "arch/x86_64/paging/address_space.hpp"
#include "arch/x86_64/paging/areas.hpp"
#include "lib/result.hpp"
#include "lib/vm.hpp"

namespace arch::paging {

// Device and firmware mappings go into the MMIO area (areas.hpp), each
// followed by an unmapped guard page, so running off one faults instead of
// touching the next.
inline constexpr u64 kMmioGuardBytes = kPageSize;

// Programs IA32_PAT with the layout in pat.hpp and reads it back; false
// (and write-combining falls back to uncached) when the CPU has no PAT or
// the value did not stick. paging::init calls it on the boot CPU, before
// any entry sets the PAT bit; each CPU brought up later calls it too.
[[nodiscard]] bool program_pat();
// Whether write-combining is available (program_pat succeeded).
[[nodiscard]] bool write_combining_available();
// The line for the log, e.g. "PAT: 0 WB, 1 WT, 2 UC-, 3 UC, 4 WC, ...".
void log_pat();

// The cache type the kernel really uses for `asked` (WC without a PAT: UC).
[[nodiscard]] CacheType effective_cache(CacheType asked);

// The AddressSpace operations on the kernel's tables, serialised by the
// kernel address-space lock. NotReady before paging::init.
[[nodiscard]] VmResult kernel_map(VirtAddr virt, PhysAddr phys, u64 length, PageFlags access,
                                  CacheType cache);
[[nodiscard]] VmResult kernel_unmap(VirtAddr virt, u64 length);
[[nodiscard]] VmResult kernel_protect(VirtAddr virt, u64 length, PageFlags access, CacheType cache);
[[nodiscard]] Result<Mapping, VmError> kernel_translate(VirtAddr virt);

// Maps the pages holding `range` into the MMIO area; returns the virtual
// address of range.base() (its offset in the page kept).
[[nodiscard]] Result<VirtAddr, VmError> map_into_mmio_area(PhysRange range, PageFlags access,
                                                           CacheType cache);
// A writable mapping in the MMIO area without map_mmio()'s refusals
// (available RAM, the interrupt-message range): the local APIC's own
// registers, and the self-tests' aliases of frames they allocated. Give it
// back with arch::unmap_mmio().
[[nodiscard]] Result<u8*, VmError> map_unchecked(PhysRange range, CacheType cache);
// Unmaps a whole mapping map_into_mmio_area made ([virt, virt + length) as
// it was asked for, page offset included) and gives its range back to the
// area. NotMapped for anything else: outside the area, part of a mapping,
// or not mapped.
[[nodiscard]] Result<void, VmError> unmap_from_mmio_area(VirtAddr virt, u64 length);
// The end of the part of the MMIO area handed out so far (its bump
// pointer): every live MMIO mapping lies below it. For the self-tests.
[[nodiscard]] u64 mmio_area_used_end();

// Probing an access that may fault, for the self-tests: the page-fault
// handler, when a probe is armed on this CPU and the fault is at the
// probe's one instruction, records the error code and CR2 and resumes
// after the probe instead of panicking.
struct ProbeResult {
    bool faulted;
    u64 error_code;
    u64 address;
};
[[nodiscard]] ProbeResult probe_read(const volatile void* address);
[[nodiscard]] ProbeResult probe_write(volatile void* address, u8 value);
// Called by the page-fault handler first: true when the fault was a
// probe's, with `rip` moved to the probe's recovery path.
[[nodiscard]] bool recover_probe_fault(u64& rip, u64 error_code, u64 cr2);

}  // namespace arch::paging
