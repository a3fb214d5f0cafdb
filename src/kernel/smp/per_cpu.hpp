// Per-CPU variables: each CPU's copy costs memory only once the CPU exists.
//
// A per-CPU variable is declared once, with KEEL_PER_CPU, and the linker
// gathers all of them into one section (linker/kernel.ld: __percpu_start to
// __percpu_end, in .bss). That section in the image is the boot CPU's area:
// it exists from the first instruction, before the heap, so the boot CPU's
// GDT, held locks and heap magazines need no allocation. Once the Smp phase
// knows how many CPUs will start, allocate_per_cpu_areas() gives each of
// the others an area of the section's size from the heap, zeroed, and
// records its distance from the section; CPU n's copy of a variable is the
// variable's address plus that distance (as Linux's per-CPU offsets).
//
// Every per-CPU variable starts as zero bytes on every CPU: the section is
// .bss, and both compilers refuse a non-zero initialiser there. `constinit`
// in the macro keeps a constructor from running on the boot CPU's copy
// only. Design: docs/smp.md, "Per-CPU state".
#pragma once

#include "arch/arch.hpp"
#include "lib/ktl/types.hpp"

#define KEEL_PER_CPU [[gnu::section(".bss.keel_per_cpu")]] constinit

namespace kernel::smp {

// Every area starts on this boundary (the heap magazines' cache lines).
inline constexpr usize kPerCpuAlign = 64;

namespace per_cpu_detail {
// CPU n's area minus the section's address: 0 for the boot CPU, kNoArea
// (per_cpu.cpp) for every CPU without an area once kernel_main has sealed
// them. Written by the boot CPU before the CPU with that index starts,
// read-only after.
extern uptr g_offsets[arch::kMaxCpus];
}  // namespace per_cpu_detail

// A variable with one copy per CPU that has an area: index it by CPU index
// (kernel::smp::current_index() for this CPU's). Only CPUs below
// per_cpu_areas() have a copy of their own, so loops over CPUs stop at
// online_count() or per_cpu_areas(). An index beyond is a bug: its address
// is non-canonical and the access faults (per_cpu.cpp, kNoArea), from the
// kernel's first phase on (kernel_main seals the areas with
// allocate_per_cpu_areas(1) right after the CPU tables).
template <typename T>
class PerCpu {
public:
    static_assert(alignof(T) <= kPerCpuAlign, "areas are aligned to kPerCpuAlign");

    constexpr PerCpu() = default;

    [[nodiscard]] T& operator[](u32 cpu) {
        return *reinterpret_cast<T*>(reinterpret_cast<uptr>(&value_) +
                                     per_cpu_detail::g_offsets[cpu]);
    }
    [[nodiscard]] const T& operator[](u32 cpu) const {
        return *reinterpret_cast<const T*>(reinterpret_cast<uptr>(&value_) +
                                           per_cpu_detail::g_offsets[cpu]);
    }

private:
    T value_{};
};

// The bytes one area takes (the section's size).
[[nodiscard]] usize per_cpu_area_bytes();
// CPUs with an area, the boot CPU's included: indices 0 to this - 1.
[[nodiscard]] u32 per_cpu_areas();
// Gives CPUs per_cpu_areas() to count - 1 their areas (on the boot CPU,
// before any of them starts); areas are never given back, so a CPU that
// fails to start leaves its area to the next one at its index. Returns the
// CPUs that have an area afterwards: fewer than `count` when the heap ran
// out. `refuse_from` (a fault injection, fault=percpu-memory) makes the
// areas of that index on fail as if the heap were out.
[[nodiscard]] u32 allocate_per_cpu_areas(u32 count, u32 refuse_from = arch::kMaxCpus);

}  // namespace kernel::smp
