// kernel_main: the C++ side of boot, in the order each step needs the last.
#include "arch/x86_64/bits.h"
#include "arch/x86_64/boot_console.hpp"
#include "arch/x86_64/cpu.hpp"
#include "arch/x86_64/debugcon.hpp"
#include "arch/x86_64/direct_map.hpp"
#include "arch/x86_64/interrupts/cpu_tables.hpp"
#include "arch/x86_64/paging/paging.hpp"
#include "arch/x86_64/qemu_exit.hpp"
#include "arch/x86_64/runtime/stack_protector.hpp"
#include "arch/x86_64/serial.hpp"
#include "arch/x86_64/tsc.hpp"
#include "kernel/boot/kernel_options.hpp"
#include "kernel/boot/multiboot2/parse.hpp"
#include "kernel/boot/multiboot2/tag_walker.hpp"
#include "kernel/boot_report.hpp"
#include "kernel/boot_state.hpp"
#include "kernel/crash/crash.hpp"
#include "kernel/debug/debug.hpp"
#include "kernel/log/log.hpp"
#include "kernel/mm/physical_regions.hpp"
#include "kernel/panic/panic.hpp"
#include "kernel/test/ktest.hpp"

// The image's physical range (linker/kernel.ld): addresses only.
extern "C" const u8 __kernel_physical_start[], __kernel_physical_end[];

namespace {

namespace mb2 = boot::multiboot2;

// A boot information structure larger than this is corrupt, not real: GRUB's
// are a few KiB (tens with an EFI memory map).
constexpr u32 kMaxBootInfoSize = 16 << 20;

arch::Serial16550 g_com1{arch::Port{COM1_PORT}};
arch::DebugConsole g_debugcon;
mb2::BootInfo g_boot_info;
boot::KernelOptions g_options;
boot::UnknownSink g_rejected_options;

void start_serial_log() {
    if (g_com1.init()) kernel::log::add_sink(g_com1);
    if (arch::DebugConsole::present()) kernel::log::add_sink(g_debugcon);
}

// Validates and copies the loader's boot information into g_boot_info.
// Returns an empty string on success, else what is wrong.
ktl::string_view load_boot_info(u64 mbi_phys, mb2::ParseResult& parsed) {
    const u8* mbi = arch::phys_to_virt(mbi_phys);
    ktl::optional<u32> total = mb2::peek_total_size({mbi, 8});
    if (!total || *total > kMaxBootInfoSize) return "its total_size is implausible (over 16 MiB)";
    if (!arch::directly_mapped(mbi_phys, *total))
        return "it extends past the memory mapped at boot (4 GiB)";
    parsed = mb2::parse({mbi, *total}, mbi_phys, g_boot_info);
    return parsed.ok() ? "" : mb2::describe(parsed.error);
}

// The command line without a word the copy cut in the middle: half an
// option (test=paging_x cut to test=pag) must not be acted upon.
ktl::string_view complete_words(const decltype(mb2::BootInfo::cmdline)& cmdline) {
    ktl::string_view text = cmdline.view();
    if (!cmdline.truncated) return text;
    usize end = text.size();
    while (end > 0 && text[end - 1] != ' ') --end;
    return text.substr(0, end);
}

kernel::log::Level to_log_level(boot::LogLevel level) {
    return static_cast<kernel::log::Level>(level);
}

// Records what the loader placed (and the first MiB), computes the free
// physical memory, and refuses to go on with too little of it.
void find_free_memory() {
    namespace mm = kernel::mm;
    if (!g_boot_info.memory_map.present)
        kernel::panic("no memory map from the loader: Keel cannot tell which memory is free");
    const kernel::debug::SymbolMemory symbols = kernel::debug::symbol_memory();
    const mm::KernelPlacement kernel{{reinterpret_cast<uptr>(__kernel_physical_start),
                                      reinterpret_cast<uptr>(__kernel_physical_end)},
                                     mm::make_range(symbols.symtab_phys, symbols.symtab_size),
                                     mm::make_range(symbols.strtab_phys, symbols.strtab_size)};
    mm::PhysicalRegions& regions = mm::boot_physical_regions();
    regions.clear();
    const u32 dropped = mm::reserve_boot_regions(regions, g_boot_info, kernel);
    regions.compute(g_boot_info.memory_map.view());
    kernel::report_physical_regions(regions);
    if (dropped != 0)
        kernel::panic("{} reserved memory ranges did not fit (PhysicalRegions::kMaxReservations)",
                      dropped);
    if (!mm::enough_memory(regions.free_bytes()))
        kernel::panic(
            "not enough memory: Keel needs at least {} MiB of free RAM, this machine has {} MiB",
            mm::kMinimumFreeMemory / mm::kMiB, regions.free_bytes() / mm::kMiB);
}

}  // namespace

const mb2::BootInfo& kernel::boot_info() { return g_boot_info; }

extern "C" [[noreturn]] void kernel_main(u32 magic, u64 mbi_phys) {
    // First: this file is built without the stack protector, as nothing
    // active across the change of guard may check it.
    arch::seed_stack_protector();
    start_serial_log();
    arch::init_cpu_tables();  // from here on, CPU exceptions are reported
    // The trampoline refuses to start without it; checked again so a broken
    // trampoline cannot go unnoticed.
    if (magic != MB2_BOOTLOADER_MAGIC) kernel::panic("bad Multiboot2 magic {:#x}", magic);

    mb2::ParseResult parsed;
    ktl::string_view boot_info_error = load_boot_info(mbi_phys, parsed);
    if (boot_info_error.empty())
        boot::parse_options(complete_words(g_boot_info.cmdline), g_options, g_rejected_options);
    else
        g_options.console = boot::Console::Vga;  // say what is wrong where a BIOS user looks
    kernel::log::set_level(to_log_level(g_options.log_level));
    arch::ConsoleChoice console = arch::start_boot_console(g_boot_info, g_options.console);

    kernel::log::info("Keel {} (x86_64, {})", KEEL_VERSION, __VERSION__);
    kernel::log::info("console: {} ({})", console.console ? console.console->name() : "serial",
                      console.why);
    if (!boot_info_error.empty()) {
        if (parsed.has_tag())
            kernel::panic("invalid boot information at {:#x}: {} (tag type {} at offset {})",
                          mbi_phys, boot_info_error, parsed.tag_type, parsed.tag_offset);
        kernel::panic("invalid boot information at {:#x}: {}", mbi_phys, boot_info_error);
    }
    kernel::report_boot_info(g_boot_info);
    kernel::log::info("CPU tables: GDT, TSS with IST stacks, IDT; stack protector guard from {}",
                      arch::stack_protector_source());
    kernel::debug::init_symbols(g_boot_info.elf_sections);
    if (g_options.dump_mbi)
        kernel::dump_boot_info_bytes({arch::phys_to_virt(mbi_phys), g_boot_info.mbi_size});
    kernel::report_options(g_options, g_rejected_options);
    find_free_memory();

    if (arch::tsc::calibrate())
        kernel::log::info("TSC: {} MHz ({})", arch::tsc::hz() / 1'000'000,
                          arch::tsc::rate_source());
    else
        kernel::log::warn(
            "TSC rate unknown (no working PIT, no rate in CPUID): boot time not measured");

    arch::paging::init(g_boot_info);

    if (g_options.run_tests) {
        kernel::test::RunSummary summary = kernel::test::run_tests(g_options.test_name);
        arch::qemu_exit(summary.failed == 0 && summary.passed > 0 ? arch::QemuExit::Success
                                                                  : arch::QemuExit::Failure);
    }

    if (!g_options.crash.empty()) kernel::crash::run(g_options.crash);

    if (arch::tsc::hz() != 0)
        kernel::log::info("ready in {} us", arch::tsc::microseconds_since_boot());
    else
        kernel::log::info("ready (boot time unknown: no TSC rate)");
    arch::halt_forever();
}
