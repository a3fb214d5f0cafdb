// The architecture's boot-time steps, in the order src/init/ calls them
// (docs/ARCHITECTURE.md, "Init phases"). Only src/init/ includes this.
#pragma once

#include "boot/params.hpp"
#include "lib/address.hpp"
#include "lib/ktl/optional.hpp"
#include "lib/ktl/string_view.hpp"
#include "lib/ktl/types.hpp"
#include "lib/result.hpp"
#include "lib/vm.hpp"

namespace kernel::acpi {
struct Platform;
}

namespace arch {

// Seeds -fstack-protector's guard from RDSEED/RDRAND (else the TSC). Runs
// first: its caller must be built without the stack protector.
void seed_stack_protector();
[[nodiscard]] ktl::string_view stack_protector_source();

// GDT, TSS with IST stacks, IDT: from here on CPU exceptions are reported.
void init_cpu_tables();

// Where page-table pages come from: any free frame (paging zeroes it), or
// nothing when memory is out. Before the frame allocator
// exists, a boot-time carver (kernel/mm/boot_frames.hpp) whose frames the
// boot tables reach (below 4 GiB); the frame allocator afterwards.
using PageTableSource = ktl::optional<PhysAddr> (*)();

// The kernel's own page tables (W^X image, direct map, no identity map)
// and the CPU's protections, with tables from `tables`; `after_switch`
// runs right after CR3 changes, before anything is logged (the boot
// console moves there).
void init_paging(const boot::BootParams& params, PageTableSource tables, void (*after_switch)());
// Later page tables come from `tables` (the frame allocator, once built).
void set_page_table_source(PageTableSource tables);
// Page-table pages taken so far.
[[nodiscard]] u64 page_table_pages();

// Gives the direct map's pages of `range` (which must be whole pages of
// the direct map, never part of a large page) another cache type: the
// framebuffer becomes write-combining.
[[nodiscard]] Result<void, VmError> set_direct_map_cache(PhysRange range, CacheType cache);
// The cache type the live page tables give the direct map's page of `phys`.
[[nodiscard]] Result<CacheType, VmError> direct_map_cache(PhysAddr phys);

// The TSC: its raw count, a rate stated by CPUID (0 if none), and the rate
// the kernel decided on. `plausible` rejects rates no real CPU has.
[[nodiscard]] bool timestamp_counter_present();
[[nodiscard]] u64 read_timestamp();
// The TSC at the boot trampoline's first instruction.
[[nodiscard]] u64 boot_timestamp();
[[nodiscard]] u64 timestamp_rate_from_cpuid();
[[nodiscard]] bool plausible_timestamp_rate(u64 hz);
void set_timestamp_rate(u64 hz, ktl::string_view source);
[[nodiscard]] u64 timestamp_rate();
[[nodiscard]] ktl::string_view timestamp_rate_source();
// Without a TSC: `counter` (64 bits wide) at `hz` stands in for it in
// read_timestamp() and everything timed by it (sleeps, deadlines, the tick),
// counting from now. Ignored when the CPU has a TSC.
void use_timestamp_fallback(u64 (*counter)(), u64 hz, ktl::string_view source);
// Whether the time counter started at the trampoline's first instruction
// (the TSC, with a known rate): only then does `ready in` measure the boot.
[[nodiscard]] bool timestamp_counts_from_boot();

// ---- starting the other CPUs (docs/smp.md) ----
enum class CpuStartError : u8 {
    NoLocalApic,
    NoLowMemory,
    NoVector,
    NotAccepted,
    Timeout,
    NoStackMemory,
    // It reached the kernel but did not finish setting itself up in time.
    // It is not reset (it may hold a lock), keeps its index, and halts if
    // it ever finishes: no other CPU may start after it (indexes are dense).
    Abandoned,
};
// In words: "it did not reach the kernel in time".
[[nodiscard]] ktl::string_view describe(CpuStartError error);
// The boot CPU's local APIC, the trampoline in a frame of the low zone and
// its page tables, the wake-up vector. Needs the clock, the frame
// allocator and the heap.
[[nodiscard]] Result<void, CpuStartError> prepare_cpu_start();
// A fault injected into an AP's start (kernel option fault=): the start's
// bounds are tested by them.
enum class ApStartFault : u8 {
    None,
    HoldLogLock,  // holds the log's lock 3 s in its setup, past the time to enter
    Stall,        // stalls 8 s in its setup, past kApSetupTimeoutUs
    LateEntry,    // waits 3 s before it enters the kernel, past the time to enter
    OtherPat,     // its PAT does not take the boot CPU's layout (a CPU that drops a write)
};
// How long an AP that reached the kernel has to finish its setup (its
// tables, local APIC, timer): generous under TCG, where a vCPU thread may
// wait for a busy host core.
inline constexpr u64 kApSetupTimeoutUs = 5'000'000;
// Starts the CPU with local APIC ID `apic_id` as CPU `index` (1 to
// kMaxCpus - 1, each once) with INIT-SIPI-SIPI; it runs main(arg) (never
// returning) on its own stacks and tables once it is up; `arg` is its
// per-CPU block (set_cpu_local), its GS base from its first instruction in
// the kernel. Waits at most `timeout_us` for it to reach the kernel: a CPU
// that does not is parked again with INIT (Timeout). Once there it may take
// locks, so it is never reset: it has kApSetupTimeoutUs more to finish
// (else Abandoned).
[[nodiscard]] Result<void, CpuStartError> start_cpu(u32 apic_id, u32 index, void (*main)(void*),
                                                    void* arg, u64 timeout_us, ApStartFault fault);
// Gives the trampoline's frames back.
void finish_cpu_start();

// The Interrupts phase: the 8259s remapped and masked, the boot CPU's local
// APIC enabled, the I/O APICs of `platform`'s MADT (null: none) masked and
// ready for kernel/irq/irq.hpp, then interrupts on. Logs what it found.
void init_interrupts(const kernel::acpi::Platform* platform);

// The physical range the kernel image occupies: where the loader put it,
// which is `linked_at` (linker/kernel.ld) unless it relocated the image.
// `checked`: the trampoline found the image in RAM in the loader's memory
// map (boot/image_in_ram.S); false when the loader gave it none to read.
struct ImagePlacement {
    u64 start, end;
    u64 linked_at;
    bool checked;
};
[[nodiscard]] ImagePlacement image_placement();

}  // namespace arch
