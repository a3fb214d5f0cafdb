# PVH boot tests (docs/boot.md, "PVH"; docs/guide/19-pvh.md): keel.elf booted
# by QEMU itself through its XEN_ELFNOTE_PHYS32_ENTRY note (-kernel), with
# no GRUB and no ISO. The command line goes in -append and the one module in
# -initrd; QEMU's PVH option ROM builds the hvm_start_info (version 1: with
# the E820 memory map) and finds the RSDP. These are the fast path for tests
# whose subject is the kernel, not the firmware or the loader.
# Included by tests/CMakeLists.txt, which defines keel_boot_test().

# The ELF as linked (debug information and all): what `tools/run --direct`
# boots. QEMU loads only its PT_LOAD segments.
set(KEEL_DIRECT_ELF "${CMAKE_BINARY_DIR}/keel.elf")
set(pvh_ready [[ready in [0-9]+ us]])

# The same boot log as through GRUB: protocol, command line, memory map,
# module, RSDP and the ACPI tables it leads to, the VGA text console (PVH
# describes no screen; SeaBIOS left a VGA in text mode) with the log on it.
keel_boot_test(pvh.ready
    ARGS --direct "${KEEL_DIRECT_ELF}" --memory 128M --cmdline "hello world=1"
         --generated-module alpha.bin:12345
         --expect "${pvh_ready}" --reject PANIC
         --expect [[^boot information: 56 bytes at 0x[0-9a-f]+ \(PVH\)$]]
         --expect [[^bootloader: PVH \(hvm_start_info version 1\)$]]
         --expect [[^command line: hello world=1$]]
         --expect [[^memory map \([0-9]+ regions\):$]]
         --expect [[^  0x0000000000100000-0x[0-9a-f]{16} +[0-9]+ KiB  available$]]
         --expect-range [[^usable RAM: ([0-9]+) MiB]] 120 128
         --expect [[^framebuffer: none$]]
         --expect [[^console: vga-text \(the loader reported no framebuffer; a VGA answers\)$]]
         --expect [[^module 0: \(unnamed\) at 0x[0-9a-f]+-0x[0-9a-f]+, 12345 bytes$]]
         --expect [[^reserved: module 0x[0-9a-f]+-0x[0-9a-f]+ \(12345 bytes\)$]]
         --expect [[^ACPI RSDP at 0x[0-9a-f]+ revision [0-9]+ \(OEM 'BOCHS ', from hvm_start_info\)$]]
         --expect [[^acpi: [0-9]+ tables \(FACP APIC]]
         --expect [[^symbols: [0-9]+ functions in the build's symbol map]]
         --expect-screen "${pvh_ready}")

# The in-kernel tests, KTAP on COM1, through the direct path.
keel_boot_test(pvh.ktest TIMEOUT 60
    ARGS --direct "${KEEL_DIRECT_ELF}" --cmdline test --ktap --expect-exit 33 --reject PANIC)

# Crash reports through the direct path: every crash.<name> test of
# tests/qemu/crash_tests.cmake (a symbolized backtrace from the build's
# embedded symbol map, since PVH passes no ELF section headers; a halt, not
# a reset).

# QEMU's microvm: PVH is its only way in. No VGA (the console says so and
# stays serial), no PIT (so no TSC rate), no PCI ports; the boot still
# reaches ready from the hvm_start_info's memory map and RSDP.
keel_boot_test(pvh.microvm
    ARGS --direct "${KEEL_DIRECT_ELF}" --machine microvm
         --expect [[^ready]] --reject PANIC
         --expect [[^boot information: 56 bytes at 0x[0-9a-f]+ \(PVH\)$]]
         --expect [[^console: serial \(the loader reported no framebuffer and no VGA answers: serial only\)$]]
         --expect [[^ACPI RSDP at 0x[0-9a-f]+ revision 2 \(OEM 'BOCHS ', from hvm_start_info\)$]])

# The PVH entry shares the trampoline's CPU checks and their readable
# failure: a 32-bit CPU gets the sentence on COM1 and the red screen, then
# a halt, as through GRUB (boot.nolongmode).
keel_boot_test(pvh.nolongmode
    ARGS --direct "${KEEL_DIRECT_ELF}" --cpu qemu32
         --expect [[Boot failed: This CPU does not support 64-bit long mode, so this 64-bit kernel cannot run\.]]
         --expect-screen [[^Boot failed: This CPU does not support 64-bit long mode]]
         --expect-vga-attr 0 0x4f
         --expect-halt)

# What the README tells a developer to type: tools/run --direct (a command
# line for this boot, no GRUB on COM1) and the run-direct target (which
# builds keel.elf first, so not beside another build of this folder).
add_test(NAME run.tool.direct
    COMMAND "${Python3_EXECUTABLE}" "${CMAKE_CURRENT_SOURCE_DIR}/qemu/run_tool_test.py"
            --unset KEEL_CMDLINE --expect-status 0
            --expect "^bootloader: PVH \\(hvm_start_info version 1\\)$"
            --expect "^command line: test=format_in_kernel$" --expect "^ok 1 format_in_kernel"
            --expect "^tools/run: the in-kernel tests passed" --reject "GNU GRUB"
            ${keel_run_noise}
            -- "${PROJECT_SOURCE_DIR}/tools/run" --no-build --no-window --direct
               --build-dir "${CMAKE_BINARY_DIR}" --qemu "${KEEL_QEMU}"
               --cmdline test=format_in_kernel)
set_tests_properties(run.tool.direct PROPERTIES LABELS qemu TIMEOUT 90)
add_test(NAME run.target.direct
    COMMAND "${Python3_EXECUTABLE}" "${CMAKE_CURRENT_SOURCE_DIR}/qemu/run_tool_test.py"
            --env "KEEL_CMDLINE=test=format_in_kernel" --expect-status 0
            --expect "^boot information: 56 bytes at 0x[0-9a-f]+ \\(PVH\\)$"
            --expect "^ok 1 format_in_kernel" ${keel_run_noise}
            -- "${CMAKE_COMMAND}" --build "${CMAKE_BINARY_DIR}" --target run-direct)
set_tests_properties(run.target.direct PROPERTIES LABELS qemu TIMEOUT 120
    RESOURCE_LOCK keel_build_folder)
