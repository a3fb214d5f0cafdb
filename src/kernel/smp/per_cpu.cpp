#include "kernel/smp/per_cpu.hpp"

#include "kernel/mm/kernel_heap.hpp"

// linker/kernel.ld: the per-CPU section, which is the boot CPU's area.
extern "C" u8 __percpu_start[];
extern "C" u8 __percpu_end[];

namespace kernel::smp {

namespace per_cpu_detail {
uptr g_offsets[arch::kMaxCpus] = {};
}  // namespace per_cpu_detail

namespace {
// Written by the boot CPU only (allocate_per_cpu_areas).
u32 g_areas = 1;

// The offset of a CPU without an area, once the areas are given out: bit
// 63 makes every kernel address it is added to non-canonical (bits 63-48
// no longer all equal bit 47), so a stray index faults at once (a general
// protection fault, reported with its frame) instead of reading and
// writing the boot CPU's copy.
constexpr uptr kNoArea = uptr{1} << 63;
}  // namespace

usize per_cpu_area_bytes() { return static_cast<usize>(__percpu_end - __percpu_start); }

u32 per_cpu_areas() { return g_areas; }

u32 allocate_per_cpu_areas(u32 count, u32 refuse_from) {
    if (count > arch::kMaxCpus) count = arch::kMaxCpus;
    const usize bytes = per_cpu_area_bytes();
    while (g_areas < count) {
        void* area = g_areas >= refuse_from
                         ? nullptr
                         : mm::heap_allocate(bytes == 0 ? 1 : bytes, kPerCpuAlign,
                                             __builtin_return_address(0));
        if (area == nullptr) break;
        __builtin_memset(area, 0, bytes);
        per_cpu_detail::g_offsets[g_areas] =
            reinterpret_cast<uptr>(area) - reinterpret_cast<uptr>(__percpu_start);
        ++g_areas;
    }
    for (u32 i = g_areas; i < arch::kMaxCpus; ++i) per_cpu_detail::g_offsets[i] = kNoArea;
    return g_areas;
}

}  // namespace kernel::smp
