// In-kernel tests of the symbolizer and the stack walker on the real image:
// the symbol table GRUB loaded must name the kernel's own functions.
#include "kernel/debug/debug.hpp"
#include "kernel/mm/kernel_stacks.hpp"
#include "kernel/test/ktest.hpp"

extern "C" [[noreturn]] void kernel_main(u32 magic, u64 mbi_phys);

namespace {

u64 address_of_kernel_main() { return reinterpret_cast<u64>(&kernel_main); }

// Not inlined, so it has its own frame record for the walk to start from.
[[gnu::noinline]] kernel::debug::WalkResult walk_from_here(u64* frames, usize max) {
    const u64 rbp = reinterpret_cast<u64>(__builtin_frame_address(0));
    return kernel::debug::walk_frames(rbp, kernel::mm::kernel_stacks().ranges(), frames, max);
}

}  // namespace

KTEST(debug_symbols_loaded) {
    KEXPECT(kernel::debug::kernel_symbols().loaded());
    KEXPECT(kernel::debug::kernel_symbols().function_count() > 100);
}

KTEST(debug_symbolize_known_function) {
    kernel::debug::SymbolInfo info;
    KEXPECT(kernel::debug::kernel_symbols().lookup(address_of_kernel_main(), info));
    KEXPECT(info.name == "kernel_main");
    KEXPECT(info.offset == 0);
    KEXPECT(info.size > 0);

    kernel::debug::SymbolText text;
    kernel::debug::symbolize(address_of_kernel_main() + 4, text);
    KEXPECT(text.view() == "kernel_main+0x4");
}

KTEST(debug_find_symbol_by_name) {
    u64 address = 0;
    KEXPECT(kernel::debug::kernel_symbols().find("kernel_main", address));
    KEXPECT(address == address_of_kernel_main());
    KEXPECT(!kernel::debug::kernel_symbols().find("no_such_function_in_keel", address));
}

KTEST(debug_backtrace_reaches_kernel_main) {
    u64 frames[kernel::debug::kMaxBacktraceFrames];
    const kernel::debug::WalkResult walk =
        walk_from_here(frames, kernel::debug::kMaxBacktraceFrames);
    KEXPECT(walk.end == kernel::debug::WalkEnd::EndOfChain);
    bool found = false;
    for (usize i = 0; i < walk.count; ++i) {
        kernel::debug::SymbolInfo info;
        if (kernel::debug::kernel_symbols().lookup(frames[i] - 1, info) &&
            info.name == "kernel_main")
            found = true;
    }
    KEXPECT(found);
}
