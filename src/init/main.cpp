// kernel_main: the C++ side of boot, as named phases (docs/ARCHITECTURE.md,
// "Init phases"). Each phase takes its inputs as arguments, states the
// phases it needs, and marks itself done; a phase run before what it needs
// panics naming both. This file is the composition root: the one place that
// knows every layer (src/boot, src/kernel, src/drivers, the arch interface).
#include "arch/arch.hpp"
#include "arch/pc.h"
#include "arch/setup.hpp"
#include "boot/loader.hpp"
#include "boot/params.hpp"
#include "drivers/debugcon/debugcon.hpp"
#include "drivers/power/power.hpp"
#include "drivers/serial/uart16550.hpp"
#include "init/acpi.hpp"
#include "init/bench.hpp"
#include "init/bench_alloc.hpp"
#include "init/bench_console.hpp"
#include "init/bench_smp.hpp"
#include "init/boot_console.hpp"
#include "init/boot_info.hpp"
#include "init/boot_reports.hpp"
#include "init/clock.hpp"
#include "init/date.hpp"
#include "init/efi.hpp"
#include "init/input.hpp"
#include "init/memory.hpp"
#include "init/pci.hpp"
#include "init/power.hpp"
#include "init/shell.hpp"
#include "init/smp.hpp"
#include "init/watchdog.hpp"
#include "kernel/boot_report.hpp"
#include "kernel/boot_state.hpp"
#include "kernel/crash/crash.hpp"
#include "kernel/debug/debug.hpp"
#include "kernel/log/log.hpp"
#include "kernel/options/kernel_options.hpp"
#include "kernel/panic/panic.hpp"
#include "kernel/phase_times.hpp"
#include "kernel/phases.hpp"
#include "kernel/smp/per_cpu.hpp"
#include "kernel/test/ktest.hpp"
#include "lib/format/buffer.hpp"

namespace {

using kernel::Phase;

drivers::Serial16550 g_com1{arch::Port{COM1_PORT}};
drivers::DebugConsole g_debugcon;
boot::BootParams g_params;
kernel::options::KernelOptions g_options;
kernel::options::UnknownSink g_rejected_options;
kernel::PhaseTracker g_phases;
// Whether the screen is the framebuffer console (it is remapped
// write-combining once the address-space API works).
bool g_framebuffer_console = false;
// What ACPI says about the machine: written once by the ACPI phase.
kernel::acpi::Platform g_platform;
// Whether g_platform holds the firmware's tables (false: no RSDP, or an
// unusable one).
bool g_have_platform = false;

// When each phase started, in TSC ticks (0: it did not run): the
// `boot phases:` line (loglevel=debug) shows where `ready in` goes.
kernel::PhaseStarts g_phase_starts;

void stamp_phase_start(Phase phase) {
    if (arch::timestamp_counter_present())
        g_phase_starts.start[static_cast<usize>(phase)] = arch::read_timestamp();
}

// require() on a list: one copy out of line for every phase, rather than a
// check per needed phase inlined into each phase (code that QEMU's TCG
// translates per copy). Names the first missing phase in the list's order.
[[gnu::noinline]] void require_list(Phase phase, const Phase* needed, usize count) {
    stamp_phase_start(phase);
    const Phase missing = g_phases.first_missing(needed, count);
    if (missing != Phase::Count)
        kernel::panic("init: the {} phase needs the {} phase, which has not run",
                      kernel::phase_name(phase), kernel::phase_name(missing));
}

// A step inside a phase that needs another one (it has no start of its own
// to stamp): the heap for the framebuffer's shadow and the scrollback.
void require_for(ktl::string_view step, Phase needed) {
    if (!g_phases.done(needed))
        kernel::panic("init: {} needs the {} phase, which has not run", step,
                      kernel::phase_name(needed));
}

// Panics unless every phase in `needed` has run before `phase`. Every phase
// calls it first, so it also stamps the phase's start.
template <typename... Phases>
void require(Phase phase, Phases... needed) {
    const Phase list[] = {needed...};
    require_list(phase, list, sizeof...(needed));
}

void start_serial_log() {
    require(Phase::SerialLog, Phase::CpuTables);
    if (g_com1.init()) kernel::log::add_sink(g_com1);
    // Before the options are known (color=off): the first lines are plain
    // info, which carries no colour anyway.
    if (drivers::DebugConsole::present()) kernel::log::add_sink(g_debugcon);
    g_phases.mark_done(Phase::SerialLog);
}

// Decodes the loader's information into g_params. On failure the returned
// error is reported once a console is up (the caller panics then).
boot::DescribeResult describe_boot(boot::Handoff handoff) {
    require(Phase::BootParams, Phase::SerialLog);
    const boot::DescribeResult result = boot::describe(handoff, init::read_loader_memory, g_params);
    if (result.ok()) g_phases.mark_done(Phase::BootParams);
    return result;
}

void apply_options(const boot::BootParams& params) {
    require(Phase::Options, Phase::BootParams);
    kernel::options::parse_options(init::complete_words(params.cmdline), g_options,
                                   g_rejected_options);
    kernel::log::set_level(g_options.log_level);
    g_com1.set_colors_enabled(g_options.serial_color);
    g_phases.mark_done(Phase::Options);
}

// Without valid boot information there are no options: the screen is the
// one the loader's framebuffer describes, if any of it was decoded.
void start_console(const boot::Framebuffer& fb, kernel::options::Console requested,
                   bool info_valid) {
    require(Phase::Console, Phase::SerialLog);
    const init::ConsoleChoice choice = !info_valid && !fb.present
                                           ? init::start_fallback_console()
                                           : init::start_boot_console(fb, requested);
    kernel::log::info("Keel {} (x86_64, {})", KEEL_VERSION, __VERSION__);
    kernel::log::info("console: {} ({})",
                      choice.console != nullptr ? choice.console->name() : "serial", choice.why);
    g_framebuffer_console =
        choice.console != nullptr && choice.console->name() == ktl::string_view{"framebuffer"};
    g_phases.mark_done(Phase::Console);
}

void load_symbols(const boot::BootParams& params) {
    require(Phase::Symbols, Phase::BootParams, Phase::Console);
    kernel::debug::init_symbols(params.elf_sections);
    g_phases.mark_done(Phase::Symbols);
}

// Records what the loader placed (and the first MiB), computes the free
// physical memory, and refuses to go on with too little of it.
void find_free_memory(const boot::BootParams& params) {
    require(Phase::PhysicalMemory, Phase::BootParams, Phase::Symbols);
    init::compute_free_memory(params);
    g_phases.mark_done(Phase::PhysicalMemory);
}

// The kernel's page tables, before the frame allocator (init/memory.hpp).
void enable_paging(const boot::BootParams& params) {
    require(Phase::Paging, Phase::PhysicalMemory, Phase::Console);
    init::start_kernel_page_tables(params);
    g_phases.mark_done(Phase::Paging);
}

// The buddy allocator; page tables come from it from now on.
void build_frame_allocator(const boot::BootParams& params) {
    require(Phase::FrameAllocator, Phase::Paging);
    init::start_frame_allocator(params);
    g_phases.mark_done(Phase::FrameAllocator);
}

void build_heap() {
    require(Phase::Heap, Phase::FrameAllocator);
    init::start_heap();
    g_phases.mark_done(Phase::Heap);
}

// The interrupt controllers, then interrupts on (docs/interrupts.md).
void start_interrupts() {
    require(Phase::Interrupts, Phase::Acpi, Phase::Heap, Phase::Clock);
    arch::init_interrupts(kernel::acpi_platform());
    g_phases.mark_done(Phase::Interrupts);
}

void enumerate_pci() {
    require(Phase::Pci, Phase::Heap, Phase::Console);
    init::list_pci_functions();
    g_phases.mark_done(Phase::Pci);
}

// The framebuffer's pages in the direct map become write-combining: the
// console's writes are combined into bursts instead of going out one by
// one, uncached (MTRRs make a framebuffer in the PCI hole UC otherwise).
// Then the console gets its shadow, so it never needs to read them back.
void remap_framebuffer(const boot::Framebuffer& fb) {
    require_for("the framebuffer's shadow", Phase::Heap);
    if (!g_framebuffer_console || !fb.present) return;
    const Result<void, VmError> r =
        arch::set_direct_map_cache(fb.range(), CacheType::WriteCombining);
    if (!r)
        kernel::log::warn("console: the framebuffer cannot be made write-combining: {}",
                          describe(r.error()));
    // Drawn in RAM from now on, the framebuffer only ever written.
    kfmt::Buffer<128> shadow;
    init::start_screen_shadow(shadow);
    // What the page tables say now, not what was asked for.
    const Result<CacheType, VmError> type = arch::direct_map_cache(fb.range().base());
    if (type)
        kernel::log::info("console: framebuffer at {:#x} is {}, {}", fb.range().base(),
                          cache_type_name(*type), shadow.view());
}

// The firmware's tables: the report lines, or why there are none.
void read_acpi(const boot::BootParams& params) {
    require(Phase::Acpi, Phase::Heap);
    init::report_efi_system_table(params);
    g_have_platform = init::discover_acpi(params.rsdp, params.module_list(), g_platform);
    g_phases.mark_done(Phase::Acpi);
}

// The clocks: the TSC measured against the best reference ACPI names (the
// HPET needs its registers mapped, hence after Heap and Acpi), then the
// date. `ready in` is unaffected by the late start: it counts TSC ticks
// from the trampoline's first instruction, whenever the rate becomes known.
void start_clocks() {
    require(Phase::Clock, Phase::Console, Phase::Heap, Phase::Acpi);
    init::calibrate_timestamp_counter(kernel::acpi_platform());
    init::read_wall_clock(kernel::acpi_platform());
    g_phases.mark_done(Phase::Clock);
}

// Keyboard, mouse and serial input into the input queue (init/input.cpp):
// by interrupt once the Interrupts phase has run, else polled.
void start_input() {
    require(Phase::Input, Phase::SerialLog, Phase::Options, Phase::Heap);
    init::start_input(g_com1, g_options.keymap, g_phases.done(Phase::Interrupts));
    g_phases.mark_done(Phase::Input);
}

void start_cpus() {
    require(Phase::Smp, Phase::Acpi, Phase::Heap, Phase::Clock, Phase::Interrupts);
    init::start_other_cpus(kernel::acpi_platform(), g_options.cpus, g_options.fault);
    g_phases.mark_done(Phase::Smp);
}

// Power-off, reboot and the power button, from the FADT and the DSDT.
void set_up_power() {
    require(Phase::Power, Phase::Acpi, Phase::Pci, Phase::Interrupts);
    init::prepare_power(g_have_platform ? &g_platform : nullptr, init::pci_config());
    g_phases.mark_done(Phase::Power);
}

[[noreturn]] void run_tests_and_exit(ktl::string_view prefix) {
    const kernel::test::RunSummary summary =
        kernel::test::run_tests(prefix, kernel::test::Origin::CommandLine);
    init::end_tests(summary.failed == 0 && summary.passed > 0);
}

// poweroff / reboot[=<method>] on the command line: done once booted.
void act_on_power_option() {
    using kernel::options::PowerAction;
    if (g_options.power_action == PowerAction::PowerOff) drivers::power::power_off();
    if (g_options.power_action == PowerAction::Reboot)
        drivers::power::reboot(g_options.reboot_from);
}

[[noreturn]] void start_shell() {
    require(Phase::Shell, Phase::Heap, Phase::Console, Phase::Input);
    g_phases.mark_done(Phase::Shell);
    init::run_shell(g_com1);
}

}  // namespace

const boot::BootParams& kernel::boot_params() { return g_params; }
const kernel::acpi::Platform* kernel::acpi_platform() {
    return g_have_platform ? &g_platform : nullptr;
}

// magic and mbi_phys are EAX and EBX from the loader (boot32.S passes them on);
// src/boot/ decides what they mean.
extern "C" [[noreturn]] void kernel_main(u32 magic, u64 mbi_phys) {
    // First: this file is built without the stack protector, as nothing
    // active across the change of guard may check it.
    stamp_phase_start(Phase::CpuTables);
    arch::seed_stack_protector();
    arch::init_cpu_tables();  // from here on, CPU exceptions are reported
    // Only the boot CPU has a per-CPU area until the Smp phase gives out
    // the others': from here a stray CPU index faults instead of reaching
    // the boot CPU's copy (kernel/smp/per_cpu.hpp). Needs no heap.
    (void)kernel::smp::allocate_per_cpu_areas(1);
    g_phases.mark_done(Phase::CpuTables);
    start_serial_log();

    const boot::Handoff handoff{magic, mbi_phys};
    const boot::DescribeResult described = describe_boot(handoff);
    if (described.ok()) apply_options(g_params);
    start_console(g_params.framebuffer, g_options.console, described.ok());
    if (!described.ok()) init::refuse_boot_information(handoff, described);

    kernel::report_boot_params(g_params);
    kernel::log::info("CPU tables: GDT, TSS with IST stacks, IDT; stack protector guard from {}",
                      arch::stack_protector_source());
    load_symbols(g_params);
    if (g_options.dump_mbi)
        kernel::dump_boot_info_bytes(boot::raw_info(g_params, init::read_loader_memory));
    kernel::report_options(g_options, g_rejected_options);
    find_free_memory(g_params);
    enable_paging(g_params);
    build_frame_allocator(g_params);
    build_heap();
    remap_framebuffer(g_params.framebuffer);
    require_for("the screen's scrollback", Phase::Heap);
    init::start_screen_scrollback();
    read_acpi(g_params);
    start_clocks();
    start_interrupts();
    enumerate_pci();
    start_cpus();
    set_up_power();
    init::start_watchdog(g_options.watchdog_seconds, g_phases.done(Phase::Interrupts));
    if (g_options.bench_irq) init::run_irq_bench(g_phases.done(Phase::Interrupts));
    if (g_options.bench_alloc) init::run_alloc_bench();
    if (g_options.bench_console) init::run_console_bench();
    if (g_options.bench_smp) init::run_smp_bench();

    if (g_options.run_tests) run_tests_and_exit(g_options.test_name);
    if (!g_options.crash.empty()) kernel::crash::run(g_options.crash);

    start_input();
    init::report_heap();
    init::report_phase_times(g_phase_starts);
    init::report_ready();
    act_on_power_option();
    // What a newcomer looking at the screen does next: QEMU's keys where
    // QEMU runs the kernel (TCG, or KVM, which QEMU drives for our users),
    // the shell's command elsewhere (Bochs, VirtualBox, a real PC).
    const arch::HypervisorName vmm = arch::hypervisor();
    const bool qemu = vmm.view() == "TCGTCGTCGTCG" || vmm.view() == "KVMKVMKVM";
    if (qemu && g_com1.present())
        kernel::log::info(
            "In QEMU: close the window, or press Ctrl-A then X on the serial terminal.");
    else if (qemu)
        kernel::log::info("In QEMU: close the window, or type poweroff at the shell.");
    else
        kernel::log::info("To turn the machine off: type poweroff at the shell.");
    // input=echo: a test mode that logs each input event instead of
    // starting the shell (docs/input.md).
    if (g_options.input_echo) init::input_idle_loop(true);
    start_shell();
}
