#include "kernel/phases.hpp"

namespace kernel {

ktl::string_view phase_name(Phase phase) {
    switch (phase) {
        case Phase::CpuTables:
            return "CPU tables";
        case Phase::SerialLog:
            return "serial log";
        case Phase::BootParams:
            return "boot parameters";
        case Phase::Options:
            return "command-line options";
        case Phase::Console:
            return "console";
        case Phase::Symbols:
            return "kernel symbols";
        case Phase::PhysicalMemory:
            return "physical memory";
        case Phase::Clock:
            return "clock";
        case Phase::Paging:
            return "paging";
        case Phase::FrameAllocator:
            return "frame allocator";
        case Phase::Heap:
            return "heap";
        case Phase::Acpi:
            return "ACPI";
        case Phase::Pci:
            return "PCI";
        case Phase::Interrupts:
            return "interrupts";
        case Phase::Power:
            return "power";
        case Phase::Input:
            return "input";
        case Phase::Shell:
            return "shell";
        case Phase::Smp:
            return "SMP";
        case Phase::Count:
            break;
    }
    return "unknown phase";
}

}  // namespace kernel
