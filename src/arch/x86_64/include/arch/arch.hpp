// The CPU as portable code sees it: the one arch header that src/kernel/,
// src/drivers/ and src/init/ may include (docs/ARCHITECTURE.md, "Layers").
// Everything else under src/arch/x86_64/ is private to the architecture;
// the include views in cmake/Layers.cmake make including it a build error.
//
// Kept small on purpose: a function belongs here only when portable code
// needs it and every architecture Keel may run on can provide it.
#pragma once

#include "kernel/time/bounded_wait.hpp"
#include "lib/address.hpp"
#include "lib/ktl/string_view.hpp"
#include "lib/ktl/types.hpp"
#include "lib/result.hpp"
#include "lib/vm.hpp"

namespace kfmt {
class Sink;
}

namespace arch {

// ---- interrupts and the idle loop ----
// RFLAGS.IF (SDM Vol. 1, 3.4.3). Portable code's view has no bits.h, so the
// bit is named here; setup.cpp checks it against bits.h's RFLAGS_IF.
inline constexpr u64 kRflagsInterruptsOn = u64{1} << 9;
inline void disable_interrupts() { asm volatile("cli" ::: "memory"); }
inline void enable_interrupts() { asm volatile("sti" ::: "memory"); }
[[nodiscard]] inline bool interrupts_enabled() {
    u64 flags = 0;
    asm volatile("pushfq; popq %0" : "=r"(flags));
    return (flags & kRflagsInterruptsOn) != 0;
}
// A spin-wait hint: lets a sibling hyperthread run and saves power.
inline void pause() { asm volatile("pause"); }
// Sleeps until an interrupt has been handled, interrupts off again after.
// STI's one-instruction shadow makes STI; HLT atomic: an interrupt pending
// now wakes the HLT instead of being taken before it and lost.
inline void wait_for_interrupt() { asm volatile("sti; hlt; cli" ::: "memory"); }
// Tells the hard-lockup watchdog that this CPU stops for good: a halted
// CPU's tick stops too, and that is no lockup.
void note_halted_for_good();
[[noreturn]] inline void halt_forever() {
    note_halted_for_good();
    for (;;) asm volatile("cli; hlt" ::: "memory");
}
// The last way to reboot: an exception with no IDT to deliver it through,
// which the CPU escalates to a triple fault, i.e. a reset.
[[noreturn]] void reset_by_triple_fault();

// ---- physical memory through the direct map (docs/memory.md) ----
// virtual = physical + this: 0 while the boot tables' identity map is in
// use, the direct map's base after paging::init.
[[nodiscard]] u64 direct_map_offset();
// Whether all of `range` can be reached through phys_to_virt now (false for
// an empty range).
[[nodiscard]] bool directly_mapped(PhysRange range);
// [phys, phys + size); false when it wraps past 2^64.
[[nodiscard]] inline bool directly_mapped(u64 phys, u64 size) {
    u64 end = 0;
    if (__builtin_add_overflow(phys, size, &end)) return false;
    return directly_mapped(PhysRange{PhysAddr{phys}, PhysAddr{end}});
}
// Only computes the address: check directly_mapped() for any range that
// did not come from RAM the kernel already knows to be mapped.
template <typename T = u8>
[[nodiscard]] inline T* phys_to_virt(PhysAddr phys) {
    return reinterpret_cast<T*>(static_cast<uptr>(phys.value() + direct_map_offset()));
}
template <typename T = u8>
[[nodiscard]] inline T* phys_to_virt(u64 phys) {
    return phys_to_virt<T>(PhysAddr{phys});
}

// ---- mappings of devices and firmware (docs/virtual-memory.md) ----
// Maps the pages holding `range` writable with `cache` into the kernel's
// MMIO area, after an unmapped guard page; returns the address of
// range.base(). Device registers: Uncached; framebuffers: WriteCombining.
// Drivers keep theirs for good; a probe gives its back with unmap_mmio().
// AvailableRam when the memory map lists any of `range` as available RAM:
// an address a firmware table names as a device must not alias memory the
// kernel hands out (reads would be taken for registers, writes would
// corrupt it), so every table-named device is refused here, in one place.
// InterruptRange for any of 0xfee00000-0xfeefffff, where writes are
// interrupt messages (only the local APIC lives there: arch maps it).
[[nodiscard]] Result<u8*, VmError> map_mmio(PhysRange range, CacheType cache);
// The same, read-only and write-back: firmware tables in reserved memory.
[[nodiscard]] Result<const u8*, VmError> map_readonly(PhysRange range);
// The inputs of the I/O APIC at `phys` (its version register; 0 when
// nothing answers there), for the ACPI report, which comes before the
// interrupt driver: the chip is mapped uncached once, and the driver later
// takes the same mapping. Refused in words, with nothing written, where
// map_mmio refuses, when not 16-byte aligned, or overlapping another
// chip's registers. Boot CPU, boot phases only.
[[nodiscard]] Result<u32, ktl::string_view> io_apic_inputs(PhysAddr phys);
// Removes a mapping map_mmio() or map_readonly() made: `address` is what it
// returned and `length` the range's size it was given. Its pages stop
// translating on every CPU, and its virtual range (with the guard page) can
// be handed out again. NotMapped, with nothing changed, for anything but a
// whole live mapping of the MMIO area; Misaligned for a length of 0;
// NotReady before the kernel's address space exists.
[[nodiscard]] Result<void, VmError> unmap_mmio(const volatile void* address, u64 length);

// Whether the kernel's page tables let it write to `address` (mapped and
// writable): for the tests of what must stay read-only.
[[nodiscard]] bool kernel_writable(const void* address);

// ---- the heap's mapped blocks (docs/virtual-memory.md, "The heap area") ----
// `pages` fresh frames, one at a time (no contiguous block needed), mapped
// writable and not executable into the heap area, the first page on a
// 16 KiB boundary (the heap's chunk size) and an unmapped guard after the
// last. OutOfMemory (nothing kept) when the frames or the area run out.
[[nodiscard]] Result<u8*, VmError> map_heap_pages(u64 pages);
// Unmaps, on every CPU, what map_heap_pages(pages) returned, then frees its
// frames and gives its range back to the area.
void unmap_heap_pages(void* at, u64 pages);
// Whether `at` is in a live mapping of the heap area.
[[nodiscard]] bool heap_page_mapped(const void* at);
// The heap area's first byte and the byte after its last.
struct HeapArea {
    uptr base, end;
};
[[nodiscard]] HeapArea heap_area();

// ---- CPUs (docs/smp.md) ----
// The most CPUs Keel runs on: the whole xAPIC ID space. Each has static
// tables (its GDT and TSS, its per-CPU block); its stacks are allocated
// when it starts.
inline constexpr u32 kMaxCpus = 256;
// This CPU's per-CPU block (kernel/smp/cpu.hpp): the GS base points at it,
// and its first word points at itself, so one load through GS finds it.
// Set once per CPU, before anything reads it.
void set_cpu_local(void* block);
[[nodiscard]] inline void* cpu_local() {
    void* block = nullptr;
    asm volatile("movq %%gs:0, %0" : "=r"(block));
    return block;
}
// This CPU's local APIC ID.
[[nodiscard]] u32 current_apic_id();
// Wakes the CPU with local APIC ID `apic_id` from halt_until_woken() (an
// IPI on the kernel's wake vector).
void wake_cpu(u32 apic_id);
// Halts until an interrupt (a wake_cpu() or any other) arrives; returns
// with interrupts off as they were on entry. Called with interrupts off,
// the check before it cannot miss a wake-up: STI's one-instruction shadow
// keeps the interrupt pending until HLT waits.
inline void halt_until_woken() { asm volatile("sti; hlt; cli" ::: "memory"); }
// Stops every other online CPU for good, by NMI (so a CPU with interrupts
// off stops too), waiting briefly until they have. For the panic path.
void stop_other_cpus();
// For crash=init-ap only: puts the CPU with local APIC ID `apic_id` back
// where it waited before it started, while the kernel still counts it
// online. On x86 an INIT: it then waits for a SIPI, taking no interrupt and
// no NMI, so its tick stops and the watchdog's NMI goes unanswered. False
// when its local APIC did not send the IPI.
[[nodiscard]] bool park_cpu_for_crash_test(u32 apic_id);
// For crash=exception-vector-irq only: sends this CPU an interrupt on the
// vector of an exception that pushes an error code (#AC), through its local
// APIC, as a device or an interrupt message given that vector would. False
// without a local APIC.
[[nodiscard]] bool interrupt_on_exception_vector_for_crash_test();
// ---- what the shell shows (src/arch/x86_64/shell_report.cpp) ----
// The CPU: vendor and model, family/model/stepping, the features Keel knows
// by name, the protections paging turned on, one line each.
void write_cpu_report(kfmt::Sink& out);
// The hypervisor's CPUID signature ("TCGTCGTCGTCG", "KVMKVMKVM",
// "VMwareVMware", ...; trailing NULs dropped), empty on bare metal (the
// CPUID hypervisor bit is clear) or when it names none.
struct HypervisorName {
    char text[12]{};
    u8 length = 0;
    [[nodiscard]] ktl::string_view view() const { return {text, length}; }
};
[[nodiscard]] HypervisorName hypervisor();
// The kernel's live mappings folded into runs (contiguous virtually and
// physically, same page size, permissions and cache type), one line each.
void write_mapping_summary(kfmt::Sink& out);

// ---- time ----
// Microseconds since the boot trampoline's first instruction; 0 while the
// clock's rate is unknown.
[[nodiscard]] u64 microseconds_since_boot();
// A time bound for a wait on hardware or on another CPU: expired() once at
// least `microseconds` have passed since it was made, whatever the clock
// knows (docs/time.md, "Bounded waits"): the time counter at its rate;
// else the HPET or ACPI PM timer; else the TSC taken at its fastest
// plausible rate; else each expired() is one ~1 us port write, counted.
// Cheap with a known rate (one counter read per check). Not copyable: a
// copy would count its own steps, and a wait on copies would never end.
// A default one has not begun: expired() at once, and it read no counter,
// so a wait that may never need its bound (a lock that is free) pays
// nothing until restart().
class Timeout {
public:
    Timeout() = default;
    explicit Timeout(u64 microseconds) { restart(microseconds); }
    Timeout(const Timeout&) = delete;
    Timeout& operator=(const Timeout&) = delete;
    Timeout(Timeout&&) = delete;
    Timeout& operator=(Timeout&&) = delete;
    ~Timeout() = default;

    // Begins a new wait of `microseconds` from now, on the best counter
    // there is now (the same object, for a state machine that waits again).
    void restart(u64 microseconds);
    [[nodiscard]] bool expired();
    [[nodiscard]] kernel::time::WaitClock clock() const { return clock_; }

private:
    u64 (*read_)() = nullptr;  // null: counted steps
    u64 steps_ = 0;
    kernel::time::WaitClock clock_ = kernel::time::WaitClock::Steps;
    kernel::time::WaitProgress progress_;
};
// Spins (no halt: interrupts may be off) until `microseconds` have passed.
void spin_for_us(u64 microseconds);
// What waits count with now, for the log and the tests.
[[nodiscard]] kernel::time::WaitClock wait_clock();

// The CPU's cycle counter (the TSC), read only once every earlier load has
// completed (LFENCE, SDM Vol. 2B RDTSC): a reading taken after seeing
// another CPU's store is then really later than the store. For comparing
// counters across CPUs (docs/smp.md, "The TSC across CPUs").
[[nodiscard]] inline u64 read_timestamp_ordered() {
    u32 lo = 0;
    u32 hi = 0;
    asm volatile("lfence; rdtsc" : "=a"(lo), "=d"(hi)::"memory");
    return (u64{hi} << 32) | lo;
}

}  // namespace arch
