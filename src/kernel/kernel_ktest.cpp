// In-kernel tests of the boot path as the real machine sees it: they run
// under `test` on the kernel command line (see kernel/test/ktest.hpp).
#include "arch/x86_64/bits.h"
#include "arch/x86_64/cpu.hpp"
#include "arch/x86_64/tsc.hpp"
#include "kernel/boot_state.hpp"
#include "kernel/lib/format/format.hpp"
#include "kernel/test/ktest.hpp"

namespace {

KTEST(format_in_kernel) {
    char buf[64];
    usize n = kfmt::format_to_n(buf, sizeof buf, "{:>6}|{:#x}|{:08b}|{}", -42, 255u, u8{5}, "ok");
    KEXPECT(ktl::string_view(buf, n) == "   -42|0xff|00000101|ok");
    n = kfmt::format_to_n(buf, sizeof buf, "{}", static_cast<i64>(-9223372036854775807LL - 1));
    KEXPECT(ktl::string_view(buf, n) == "-9223372036854775808");
}

KTEST(boot_info_memory_map_is_sane) {
    const auto& info = kernel::boot_info();
    KEXPECT(info.memory_map.present);
    KEXPECT(info.memory_map.count > 0);
    // The kernel itself was loaded into available RAM at 1 MiB.
    bool kernel_in_ram = false;
    for (const auto& r : info.memory_map.view())
        if (r.available() && r.base <= KERNEL_LOAD_ADDRESS &&
            KERNEL_LOAD_ADDRESS < r.base + r.length)
            kernel_in_ram = true;
    KEXPECT(kernel_in_ram);
    KEXPECT(info.usable_bytes() >= (16ULL << 20));
}

KTEST(boot_info_names_the_loader) {
    const auto& info = kernel::boot_info();
    KEXPECT(info.has_bootloader_name);
    KEXPECT(info.bootloader_name.view().starts_with("GRUB"));
    KEXPECT(info.cmdline.view().starts_with("test"));
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

KTEST(memmove_handles_overlap) {
    char s[] = "abcdefgh";
    __builtin_memmove(s + 2, s, 5);
    KEXPECT(ktl::string_view(s) == "ababcdeh");
    __builtin_memmove(s, s + 2, 5);
    KEXPECT(ktl::string_view(s) == "abcdedeh");
}

}  // namespace
