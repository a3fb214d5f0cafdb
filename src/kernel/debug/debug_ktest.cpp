// In-kernel tests of the symbolizer and the stack walker on the real image:
// the build's symbol map and the symbol table GRUB loaded must name the
// kernel's own functions.
#include "kernel/boot_state.hpp"
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

// The ELF .symtab exists in memory only when the loader placed the section
// headers (GRUB does; a PVH loader such as QEMU's -kernel loads segments
// only): the map, part of the image, must not depend on it.
namespace {
bool loader_passed_elf_sections() { return kernel::boot_params().elf_sections.present; }
}  // namespace

KTEST(debug_symbols_loaded) {
    KEXPECT(kernel::debug::kernel_symbol_map().loaded());
    KEXPECT(kernel::debug::kernel_symbol_map().function_count() > 100);
    if (!loader_passed_elf_sections()) {
        KEXPECT(!kernel::debug::kernel_symbols().loaded());
        return;
    }
    KEXPECT(kernel::debug::kernel_symbols().loaded());
    KEXPECT(kernel::debug::kernel_symbols().function_count() > 100);
}

KTEST(debug_symbolize_known_function) {
    kernel::debug::SymbolInfo info;
    char name[64];
    KEXPECT(kernel::debug::lookup_symbol(address_of_kernel_main(), info, name));
    KEXPECT(info.name == "kernel_main");
    KEXPECT(info.offset == 0);
    KEXPECT(info.size > 0);

    kernel::debug::SymbolText text;
    kernel::debug::symbolize(address_of_kernel_main() + 4, text);
    KEXPECT(text.view() == "kernel_main+0x4");
}

// The map's names are the toolchain's demangling; .symtab's the mangled ones.
KTEST(debug_symbolize_demangles_cxx_names) {
    const u64 address = reinterpret_cast<u64>(&kernel::debug::print_panic_report);
    kernel::debug::SymbolText text;
    kernel::debug::symbolize(address + 1, text);
    KEXPECT(text.view() == "kernel::debug::print_panic_report()+0x1");

    if (!loader_passed_elf_sections()) return;
    kernel::debug::SymbolInfo info;
    KEXPECT(kernel::debug::kernel_symbols().lookup(address, info));
    KEXPECT(info.name == "_ZN6kernel5debug18print_panic_reportEv");
}

KTEST(debug_find_symbol_by_name) {
    u64 address = 0;
    KEXPECT(kernel::debug::find_symbol("kernel_main", address));
    KEXPECT(address == address_of_kernel_main());
    KEXPECT(kernel::debug::find_symbol("kernel::debug::print_panic_report()", address));
    KEXPECT(address == reinterpret_cast<u64>(&kernel::debug::print_panic_report));
    KEXPECT(!kernel::debug::find_symbol("no_such_function_in_keel", address));
    if (loader_passed_elf_sections())
        KEXPECT(kernel::debug::kernel_symbols().find("kernel_main", address));
}

KTEST(debug_backtrace_reaches_kernel_main) {
    u64 frames[kernel::debug::kMaxBacktraceFrames];
    const kernel::debug::WalkResult walk =
        walk_from_here(frames, kernel::debug::kMaxBacktraceFrames);
    KEXPECT(walk.end == kernel::debug::WalkEnd::EndOfChain);
    bool found = false;
    for (usize i = 0; i < walk.count; ++i) {
        kernel::debug::SymbolInfo info;
        char name[64];
        if (kernel::debug::lookup_symbol(frames[i] - 1, info, name) && info.name == "kernel_main")
            found = true;
    }
    KEXPECT(found);
}
