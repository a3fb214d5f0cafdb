// The kernel's init phases and which have run: each phase states what it
// needs, so a reordering of kernel_main (src/init/main.cpp) fails at once,
// by name, instead of as a fault in whatever first used the missing piece.
#pragma once

#include "lib/ktl/string_view.hpp"
#include "lib/ktl/types.hpp"

namespace kernel {

enum class Phase : u8 {
    CpuTables,       // GDT, TSS, IDT: exceptions are reported
    SerialLog,       // COM1 and 0xE9 carry the log
    BootParams,      // the loader's information, decoded and checked
    Options,         // the command line, applied
    Console,         // the screen shows the log
    Symbols,         // backtraces name functions
    PhysicalMemory,  // free RAM known, reservations kept
    Clock,           // the TSC's rate known (or known to be unknown)
    Paging,          // the kernel's own page tables and protections
    FrameAllocator,  // physical frames can be allocated and freed
    Heap,            // operator new and delete work
    Acpi,            // the firmware's tables read: CPUs, I/O APICs, HPET, ECAM
    Pci,             // the PCI functions are listed
    Interrupts,      // PIC masked, local APIC and I/O APICs up, IRQs can be installed
    Power,           // power-off, reboot and the power button ready
    Input,           // keyboard, mouse and serial input feed the input queue
    Shell,           // the shell takes input
    Smp,             // the other CPUs started, idle and taking cross-CPU calls
    Count,
};

// "CPU tables", "serial log", ...
[[nodiscard]] ktl::string_view phase_name(Phase phase);

class PhaseTracker {
public:
    void mark_done(Phase phase) { done_ |= bit(phase); }
    [[nodiscard]] bool done(Phase phase) const { return (done_ & bit(phase)) != 0; }
    // The first of needed[0..count) that has not run, in that order, or
    // Phase::Count when all have (init's require() panics naming it).
    [[nodiscard]] Phase first_missing(const Phase* needed, usize count) const {
        for (usize i = 0; i < count; ++i)
            if (!done(needed[i])) return needed[i];
        return Phase::Count;
    }
    template <typename... Phases>
    [[nodiscard]] Phase first_missing(Phase first, Phases... more) const {
        const Phase list[] = {first, more...};
        return first_missing(list, 1 + sizeof...(more));
    }

private:
    static constexpr u32 bit(Phase phase) { return 1U << static_cast<u32>(phase); }
    u32 done_ = 0;
};
static_assert(static_cast<u32>(Phase::Count) <= 32);

}  // namespace kernel
