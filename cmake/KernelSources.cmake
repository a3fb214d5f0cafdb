# The kernel's sources, relative to src/, one list per layer (see
# cmake/Layers.cmake for the layers and docs/ARCHITECTURE.md for the rules).
# The *_PORTABLE lists are hardware-independent: the host unit tests
# (tests/host) and fuzzers (tests/fuzz) compile exactly these files too, so a
# file is never tested on the host yet missing from the kernel, or the reverse.
set(KEEL_LIB_SOURCES
    lib/format/format.cpp)

set(KEEL_MULTIBOOT2_SOURCES
    boot/multiboot2/boot_info.cpp
    boot/multiboot2/decode_simple.cpp
    boot/multiboot2/decode_tables.cpp
    boot/multiboot2/error.cpp
    boot/multiboot2/memory_map.cpp
    boot/multiboot2/parse.cpp
    boot/multiboot2/tag_walker.cpp
    boot/multiboot2/to_params.cpp)
set(KEEL_BOOT_SOURCES
    ${KEEL_MULTIBOOT2_SOURCES}
    boot/loader.cpp
    boot/params.cpp)

# PVH (docs/boot.md, "PVH"): the hvm_start_info decoder, in the boot layer.
set(KEEL_PVH_SOURCES
    boot/pvh/error.cpp
    boot/pvh/start_info.cpp)
list(APPEND KEEL_BOOT_SOURCES ${KEEL_PVH_SOURCES})

set(KEEL_CMDLINE_SOURCES
    kernel/options/cmdline.cpp
    kernel/options/kernel_options.cpp)
set(KEEL_ACPI_SOURCES
    kernel/acpi/error.cpp
    kernel/acpi/fadt.cpp
    kernel/acpi/gas.cpp
    kernel/acpi/header.cpp
    kernel/acpi/hpet.cpp
    kernel/acpi/madt.cpp
    kernel/acpi/mcfg.cpp
    kernel/acpi/platform.cpp
    kernel/acpi/reader.cpp
    kernel/acpi/report.cpp
    kernel/acpi/rsdp.cpp
    kernel/acpi/tables.cpp
    kernel/efi/system_table.cpp)  # the UEFI system table's header (docs/boot.md)
# Time (docs/time.md): the monotonic and wall clocks' arithmetic.
set(KEEL_TIME_SOURCES
    kernel/time/calendar.cpp
    kernel/time/clock.cpp
    kernel/time/cpuid_rate.cpp
    kernel/time/sampled_window.cpp
    kernel/time/wall_clock.cpp)
# The shell (docs/shell.md): its core and the commands the host tests run.
set(KEEL_SHELL_PORTABLE
    kernel/log/history.cpp
    kernel/shell/args.cpp
    kernel/shell/commands/clear.cpp
    kernel/shell/commands/echo.cpp
    kernel/shell/commands/help.cpp
    kernel/shell/commands/log.cpp
    kernel/shell/dispatch.cpp
    kernel/shell/key_bytes.cpp
    kernel/shell/registry.cpp
    kernel/shell/router.cpp
    kernel/shell/session.cpp)
# The commands that show the running kernel's state.
set(KEEL_SHELL_COMMANDS
    kernel/shell/commands/acpi.cpp
    kernel/shell/commands/crash.cpp
    kernel/shell/commands/heap.cpp
    kernel/shell/commands/mem.cpp
    kernel/shell/commands/test.cpp
    kernel/shell/commands/uptime.cpp)
set(KEEL_INIT_SHELL_SOURCES
    init/shell.cpp
    init/shell_commands/cpu.cpp
    init/shell_commands/pci.cpp
    init/shell_commands/version.cpp
    init/shell_commands/vm.cpp)

# Power: the \_S5_ scan of the DSDT and SSDTs and the power-off plan
# (hardware-independent); the registers, power-off, reboot and the power
# button (drivers); the triple fault (arch); the Power phase (init).
list(APPEND KEEL_ACPI_SOURCES
    kernel/acpi/sleep_state.cpp
    kernel/power/power_off_plan.cpp)
# Which event registers the Power phase quiets so that the power button is
# the SCI's only source (docs/power.md "The power button").
list(APPEND KEEL_ACPI_SOURCES
    kernel/power/event_setup.cpp)
# Input (docs/input.md): the event queue and the hardware-independent
# decoders (scancodes, keymaps, mouse packets, terminal escapes).
set(KEEL_INPUT_SOURCES
    kernel/input/describe.cpp
    kernel/input/keyboard.cpp
    kernel/input/keymap.cpp
    kernel/input/mouse.cpp
    kernel/input/queue.cpp
    kernel/input/scancode.cpp
    kernel/input/terminal.cpp)
# The shell's commands that came with interrupts, time, input, power and
# SMP (issue 11): the portable ones, the running kernel's, init's.
list(APPEND KEEL_SHELL_PORTABLE
    kernel/shell/commands/date.cpp
    kernel/shell/commands/irq_table.cpp
    kernel/shell/commands/keymap.cpp)
list(APPEND KEEL_SHELL_COMMANDS
    kernel/shell/commands/cpus.cpp
    kernel/shell/commands/irq.cpp)
list(APPEND KEEL_INIT_SHELL_SOURCES
    init/shell_commands/power.cpp)
# The console's scrollback (docs/console.md).
set(KEEL_CONSOLE_SOURCES
    kernel/console/scrollback.cpp)
# The heap core (docs/memory-allocators.md): the entry points with the size
# classes' slabs, large blocks, debug checks. The fuzzers compile it too.
set(KEEL_HEAP_SOURCES
    kernel/mm/heap.cpp
    kernel/mm/heap_checks.cpp
    kernel/mm/heap_large.cpp)
set(KEEL_KERNEL_PORTABLE
    ${KEEL_CONSOLE_SOURCES}
    ${KEEL_SHELL_PORTABLE}
    ${KEEL_INPUT_SOURCES}
    ${KEEL_CMDLINE_SOURCES}
    ${KEEL_ACPI_SOURCES}
    kernel/console/framebuffer_console.cpp
    kernel/console/text_grid.cpp
    kernel/debug/backtrace.cpp
    kernel/debug/symbol_map.cpp
    kernel/debug/symbols.cpp
    kernel/mm/boot_frames.cpp
    kernel/mm/buddy.cpp
    ${KEEL_HEAP_SOURCES}
    kernel/log/log.cpp
    kernel/mm/kernel_stacks.cpp
    kernel/mm/physical_regions.cpp
    kernel/log/escape.cpp
    kernel/phases.cpp
    kernel/phase_times.cpp
    kernel/time/calibration.cpp
    kernel/shell/line_editor.cpp
    kernel/test/close_names.cpp
    ${KEEL_TIME_SOURCES})
set(KEEL_KERNEL_SOURCES
    ${KEEL_KERNEL_PORTABLE}
    ${KEEL_SHELL_COMMANDS}
    kernel/boot_report.cpp
    kernel/crash/crash.cpp
    kernel/crash/lock_crashes.cpp
    kernel/crash/ubsan_trigger.cpp
    kernel/debug/debug_ktest.cpp
    kernel/debug/report.cpp
    kernel/debug/ubsan.cpp
    kernel/kernel_ktest.cpp
    kernel/mm/alloc_panic.cpp
    kernel/mm/frame_allocator.cpp
    kernel/mm/kernel_heap.cpp
    kernel/mm/mm_ktest.cpp
    kernel/mm/new.cpp
    kernel/panic/panic.cpp
    kernel/test/ktest.cpp
    kernel/time/tick_ktest.cpp)
# The reference counter that timing tests check the TSC against
# (kernel/time/reference.hpp).
list(APPEND KEEL_KERNEL_SOURCES
    kernel/time/reference.cpp)
# SMP: per-CPU data and cross-CPU calls (docs/smp.md).
list(APPEND KEEL_KERNEL_SOURCES
    kernel/smp/call.cpp
    kernel/smp/cpu.cpp
    kernel/smp/smp_ktest.cpp)
# Per-CPU state allocated for the CPUs that exist (docs/smp.md, "Per-CPU
# state"): the per-CPU section and each AP's area.
list(APPEND KEEL_KERNEL_SOURCES
    kernel/smp/per_cpu.cpp
    kernel/smp/per_cpu_ktest.cpp)

# Interrupt controllers and the interrupt API (docs/interrupts.md).
set(KEEL_IRQ_PORTABLE  # routing, register mapping, the line table
    arch/x86_64/apic/registers.cpp
    arch/x86_64/apic/routing.cpp
    arch/x86_64/apic/timer_math.cpp
    arch/x86_64/irq/lines.cpp)
set(KEEL_IRQ_SOURCES
    arch/x86_64/apic/io_apic.cpp
    arch/x86_64/apic/local_apic.cpp
    arch/x86_64/apic/local_timer.cpp
    arch/x86_64/apic/pic.cpp
    arch/x86_64/irq/irq.cpp
    arch/x86_64/irq/init.cpp
    arch/x86_64/irq/irq_ktest.cpp)

set(KEEL_ARCH_PORTABLE  # no CPU access: decoding, the handler table
    arch/x86_64/interrupts/exception_info.cpp
    arch/x86_64/interrupts/interrupt_table.cpp
    ${KEEL_IRQ_PORTABLE})
set(KEEL_ARCH_SOURCES
    ${KEEL_ARCH_PORTABLE}
    ${KEEL_IRQ_SOURCES}
    arch/x86_64/boot/multiboot_header.S
    arch/x86_64/boot/boot32.S
    arch/x86_64/boot/boot_fail.S
    arch/x86_64/boot/image_in_ram.S
    arch/x86_64/boot/boot64.S
    arch/x86_64/cpu_ktest.cpp
    arch/x86_64/direct_map.cpp
    arch/x86_64/memory_ktest.cpp
    arch/x86_64/interrupts/dispatch.cpp
    arch/x86_64/interrupts/entry.S
    arch/x86_64/interrupts/exceptions.cpp
    arch/x86_64/interrupts/gdt.cpp
    arch/x86_64/interrupts/idt.cpp
    arch/x86_64/interrupts/interrupts_ktest.cpp
    arch/x86_64/paging/kernel_space.cpp
    arch/x86_64/paging/paging.cpp
    arch/x86_64/paging/probe.S
    arch/x86_64/paging/tlb.cpp
    arch/x86_64/paging/vm_ktest.cpp
    arch/x86_64/paging/paging_ktest.cpp
    arch/x86_64/runtime/cxxabi.cpp
    arch/x86_64/runtime/stack_protector.cpp
    arch/x86_64/runtime/string.cpp
    arch/x86_64/setup.cpp
    arch/x86_64/hypervisor.cpp
    arch/x86_64/shell_report.cpp
    arch/x86_64/stacks.cpp
    arch/x86_64/tsc.cpp)
# SMP: the AP trampoline, starting CPUs (docs/smp.md).
list(APPEND KEEL_ARCH_SOURCES
    arch/x86_64/smp/start.cpp
    arch/x86_64/smp/trampoline.S)
# SMP: TLB shootdown and stopping the other CPUs by NMI (docs/smp.md).
list(APPEND KEEL_ARCH_SOURCES
    arch/x86_64/smp/nmi_ipi.cpp
    arch/x86_64/smp/shootdown_ktest.cpp)

# The PVH entry: the ELF note that points QEMU's -kernel (and Xen) at it.
list(APPEND KEEL_ARCH_SOURCES arch/x86_64/boot/pvh_note.S)

set(KEEL_PCI_SOURCES  # hardware-independent: the host tests and fuzzer compile them
    drivers/pci/enumerate.cpp
    drivers/pci/names.cpp
    drivers/pci/report.cpp)
# Time's devices: what decodes their registers is hardware-independent.
set(KEEL_TIME_DRIVERS_PORTABLE
    drivers/hpet/capabilities.cpp
    drivers/rtc/rtc_decode.cpp)
set(KEEL_TIME_DRIVERS
    drivers/hpet/hpet.cpp
    drivers/hpet/hpet_ktest.cpp
    drivers/pmtimer/pm_timer.cpp
    drivers/rtc/cmos_rtc.cpp)
set(KEEL_DRIVERS_PORTABLE
    ${KEEL_PCI_SOURCES}
    ${KEEL_TIME_DRIVERS_PORTABLE})
# Input drivers (docs/input.md): the 8042 and COM1's receive side.
set(KEEL_INPUT_DRIVER_SOURCES
    drivers/ps2/controller.cpp
    drivers/ps2/ps2_input.cpp
    drivers/serial/serial_input.cpp)
set(KEEL_DRIVERS_SOURCES
    ${KEEL_DRIVERS_PORTABLE}
    drivers/pci/port_access.cpp
    ${KEEL_TIME_DRIVERS}
    drivers/pit/pit.cpp
    drivers/serial/uart16550.cpp
    ${KEEL_INPUT_DRIVER_SOURCES}
    drivers/vga/vga_text.cpp)

# bench=console (docs/console.md, bench/console.py).
set(KEEL_CONSOLE_BENCH_SOURCES
    init/bench_console.cpp)
set(KEEL_INIT_SOURCES
    ${KEEL_CONSOLE_BENCH_SOURCES}
    ${KEEL_INIT_SHELL_SOURCES}
    init/acpi.cpp
    init/acpi_ktest.cpp
    init/efi.cpp
    init/boot_console.cpp
    init/clock.cpp
    init/date.cpp
    init/input.cpp
    init/main.cpp
    init/pci.cpp)
list(APPEND KEEL_INIT_SOURCES init/smp.cpp)  # SMP (docs/smp.md)
# Power (see the block after KEEL_ACPI_SOURCES).
list(APPEND KEEL_DRIVERS_SOURCES
    drivers/pci/ecam_access.cpp
    drivers/power/power.cpp
    drivers/power/registers.cpp)
list(APPEND KEEL_ARCH_SOURCES
    arch/x86_64/reset.cpp)
list(APPEND KEEL_INIT_SOURCES
    init/power.cpp)

# bench=irq (bench/README.md): the samples' arithmetic is portable; the
# Bench phase's glue measures on the real controllers.
list(APPEND KEEL_KERNEL_PORTABLE
    kernel/bench/samples.cpp)
list(APPEND KEEL_KERNEL_SOURCES
    kernel/bench/samples.cpp)
list(APPEND KEEL_INIT_SOURCES
    init/bench.cpp)
list(APPEND KEEL_DRIVERS_SOURCES
    drivers/hpet/tick_ktest.cpp)

# The HPET's comparators (docs/time.md): the register encoding is portable.
list(APPEND KEEL_DRIVERS_PORTABLE
    drivers/hpet/timer_registers.cpp)
list(APPEND KEEL_DRIVERS_SOURCES
    drivers/hpet/timer_registers.cpp
    drivers/hpet/comparator.cpp
    drivers/hpet/comparator_ktest.cpp)
# SMP, second part (docs/smp.md): the debug lock's report, per-CPU timers,
# the TSC check, the cpus shell command.
list(APPEND KEEL_KERNEL_SOURCES
    kernel/sync/lock_debug.cpp
    kernel/smp/tsc_sync.cpp
    kernel/smp/smp2_ktest.cpp)

# The debug lock's order check (docs/interrupts.md, "Locking"): the held
# locks, the order table and its path search are portable; the per-CPU
# glue is not.
list(APPEND KEEL_KERNEL_PORTABLE
    kernel/sync/held_locks.cpp
    kernel/sync/lock_order.cpp)
list(APPEND KEEL_KERNEL_SOURCES
    kernel/sync/held_locks.cpp
    kernel/sync/lock_order.cpp
    kernel/sync/lock_order_check.cpp
    kernel/sync/lock_order_ktest.cpp)

# VGA text scrolling by the CRTC start address (docs/console.md): the
# window's arithmetic is portable.
list(APPEND KEEL_DRIVERS_PORTABLE
    drivers/vga/text_window.cpp)
list(APPEND KEEL_DRIVERS_SOURCES
    drivers/vga/text_window.cpp)

# The keyboard's LED exchange (docs/input.md): its state machine is portable.
list(APPEND KEEL_DRIVERS_PORTABLE
    drivers/ps2/led_exchange.cpp)
list(APPEND KEEL_DRIVERS_SOURCES
    drivers/ps2/led_exchange.cpp)

# The debug lock's interrupt rule (docs/interrupts.md, "Locking"): the words
# of its reports are portable.
list(APPEND KEEL_KERNEL_PORTABLE
    kernel/sync/lock_reports.cpp)
list(APPEND KEEL_KERNEL_SOURCES
    kernel/sync/lock_reports.cpp)

# All the CPUs (docs/smp.md, "Which CPUs"): which MADT CPUs start under
# Keel's limit and cpus=, portable.
list(APPEND KEEL_KERNEL_PORTABLE
    kernel/smp/cpu_selection.cpp)
list(APPEND KEEL_KERNEL_SOURCES
    kernel/smp/cpu_selection.cpp)

# Bounded waits (docs/time.md, "Bounded waits"): arch::Timeout reads the
# best counter there is; which one, and how many of its ticks, is portable.
list(APPEND KEEL_KERNEL_PORTABLE
    kernel/time/bounded_wait.cpp)
list(APPEND KEEL_KERNEL_SOURCES
    kernel/time/bounded_wait.cpp)
list(APPEND KEEL_ARCH_SOURCES
    arch/x86_64/timeout.cpp
    arch/x86_64/timeout_ktest.cpp)
# The local APIC's wait for an IPI's delivery status, bounded in time; an
# AP parked by an INIT for crash=init-ap (the watchdog's unanswered NMI).
list(APPEND KEEL_ARCH_SOURCES
    arch/x86_64/apic/ipi_ktest.cpp
    arch/x86_64/smp/park.cpp)
# The hard-lockup watchdog (docs/interrupts.md, "Watchdog"): the portable
# decisions (host-tested), the ticks' and NMIs' side, the HPET's NMI timer.
list(APPEND KEEL_KERNEL_PORTABLE kernel/watchdog/heartbeat.cpp)
list(APPEND KEEL_KERNEL_SOURCES kernel/watchdog/heartbeat.cpp)
list(APPEND KEEL_ARCH_SOURCES arch/x86_64/watchdog/watchdog.cpp)
list(APPEND KEEL_DRIVERS_SOURCES drivers/hpet/nmi_timer.cpp)
list(APPEND KEEL_INIT_SOURCES init/watchdog.cpp)

# Everything the host tests and fuzzers compile.
set(KEEL_PORTABLE_SOURCES
    ${KEEL_LIB_SOURCES}
    ${KEEL_BOOT_SOURCES}
    ${KEEL_KERNEL_PORTABLE}
    ${KEEL_ARCH_PORTABLE}
    ${KEEL_DRIVERS_PORTABLE})

# keel_sources(<out> <root> <list>...): the lists' files as absolute paths.
function(keel_sources out root)
    set(files ${ARGN})
    list(TRANSFORM files PREPEND "${root}/")
    set(${out} ${files} PARENT_SCOPE)
endfunction()

# Kernel stacks through the address-space API (docs/virtual-memory.md).
list(APPEND KEEL_ARCH_SOURCES
    arch/x86_64/stack_area.cpp
    arch/x86_64/heap_area.cpp
    arch/x86_64/stack_area_ktest.cpp)

# bench=alloc (bench/README.md, docs/memory-allocators.md).
list(APPEND KEEL_INIT_SOURCES
    init/bench_alloc.cpp
    init/bench_smp.cpp)

# SMP fixes (docs/smp.md): every AP has the boot CPU's protections; cross-CPU
# calls that call their caller back.
list(APPEND KEEL_ARCH_SOURCES arch/x86_64/smp/cpu_state_ktest.cpp)
list(APPEND KEEL_KERNEL_SOURCES kernel/smp/call_ktest.cpp)

# kernel_main's helpers that are not the phase order (src/init/main.cpp):
# the loader's information, the memory phases' work, the closing reports.
list(APPEND KEEL_INIT_SOURCES
    init/boot_info.cpp
    init/boot_reports.cpp
    init/memory.cpp)
