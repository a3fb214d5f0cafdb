// In-kernel tests of the CPU state the boot path leaves: long mode's control
// bits, the TSC, and where the loader put the image.
#include "arch/x86_64/bits.h"
#include "arch/x86_64/cpu.hpp"
#include "arch/x86_64/image.hpp"
#include "arch/x86_64/tsc.hpp"
#include "kernel/boot_state.hpp"
#include "kernel/test/ktest.hpp"

namespace {

KTEST(boot_params_place_the_kernel_in_ram) {
    const auto& params = kernel::boot_params();
    KEXPECT(params.memory_map_present);
    KEXPECT(params.memory_count > 0);
    // The kernel itself was loaded into available RAM, wherever the loader
    // put it.
    const u64 base = arch::image::physical_base();
    bool kernel_in_ram = false;
    for (const auto& r : params.memory_map())
        if (r.usable() && r.range().contains(PhysAddr{base})) kernel_in_ram = true;
    KEXPECT(kernel_in_ram);
    // Keel boots with 4 MiB free (kernel::mm::kMinimumFreeMemory) after the
    // image and the first MiB: a smaller map could not have got here.
    KEXPECT(params.usable_bytes() >= (5ULL << 20));
}

KTEST(tsc_is_calibrated_and_monotonic) {
    KEXPECT(arch::tsc::hz() > 1'000'000);  // any x86_64 CPU runs above 1 MHz
    u64 a = arch::rdtsc();
    u64 b = arch::rdtsc();
    KEXPECT(b >= a);
    KEXPECT(arch::tsc::boot_timestamp() != 0);
    KEXPECT(arch::tsc::boot_timestamp() < a);
}

KTEST(long_mode_control_bits_are_set) {
    KEXPECT(arch::read_cr0() & CR0_PG);
    KEXPECT(arch::read_cr0() & CR0_WP);
    KEXPECT(arch::read_cr4() & CR4_PAE);
    KEXPECT(arch::rdmsr(MSR_EFER) & EFER_LME);
}

// The trampoline measured its own load offset; a Multiboot2 loader reports
// where it put the image (the load base tag), and the two must agree. PVH
// loaders place the image at its link address and report nothing.
KTEST(image_load_base_matches_the_loader) {
    const auto& params = kernel::boot_params();
    KEXPECT(arch::image::load_offset() % KERNEL_RELOC_ALIGN == 0);
    KEXPECT(arch::image::physical_base() >= KERNEL_RELOC_MIN);
    if (params.load_base)
        KEXPECT(*params.load_base == PhysAddr{arch::image::physical_base()});
    else
        KEXPECT(arch::image::load_offset() == 0);
}

}  // namespace
