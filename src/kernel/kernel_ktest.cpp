// In-kernel tests of the boot path as the real machine sees it: they run
// under `test` on the kernel command line (see kernel/test/ktest.hpp).
#include "kernel/boot_state.hpp"
#include "kernel/options/kernel_options.hpp"
#include "kernel/test/ktest.hpp"
#include "lib/format/format.hpp"

namespace {

KTEST(format_in_kernel) {
    char buf[64];
    usize n = kfmt::format_to_n(buf, sizeof buf, "{:>6}|{:#x}|{:08b}|{}", -42, 255U, u8{5}, "ok");
    KEXPECT(ktl::string_view(buf, n) == "   -42|0xff|00000101|ok");
    n = kfmt::format_to_n(buf, sizeof buf, "{}", static_cast<i64>(-9223372036854775807LL - 1));
    KEXPECT(ktl::string_view(buf, n) == "-9223372036854775808");
}

// Through the ISO, GRUB by Multiboot2; through QEMU's -kernel, PVH, which
// names no loader but its structure (the tests run both ways). The loader's
// command line arrived whole: started by it, the tests find `test` on it;
// started from the shell, it cannot hold `test` (the kernel would have run
// the tests and exited instead of starting the shell).
KTEST(boot_params_name_the_loader) {
    const auto& params = kernel::boot_params();
    kernel::options::KernelOptions options;
    kernel::options::UnknownSink rejected;
    kernel::options::parse_options(params.cmdline.view(), options, rejected);
    if (ktest_context.origin() == kernel::test::Origin::CommandLine)
        KEXPECT(params.cmdline.view().starts_with("test"));
    KEXPECT(options.run_tests == (ktest_context.origin() == kernel::test::Origin::CommandLine));
    if (params.protocol == "PVH") {
        KEXPECT(params.loader_name.view().starts_with("PVH (hvm_start_info version "));
    } else {
        KEXPECT(params.loader_name.view().starts_with("GRUB"));
        KEXPECT(params.protocol == "Multiboot2");
    }
}

KTEST(memmove_handles_overlap) {
    char s[] = "abcdefgh";
    __builtin_memmove(s + 2, s, 5);
    KEXPECT(ktl::string_view(s) == "ababcdeh");
    __builtin_memmove(s, s + 2, 5);
    KEXPECT(ktl::string_view(s) == "abcdedeh");
}

}  // namespace
