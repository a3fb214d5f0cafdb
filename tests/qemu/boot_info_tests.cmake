# What the loader hands the kernel and the kernel reports (issue 3;
# docs/cmdline.md): the command line, verbatim or cut, its options taking
# effect or refused by name, the modules (more than the kernel keeps too)
# and the ACPI RSDP. Included by tests/CMakeLists.txt, which defines
# keel_boot_test(); keel_many_modules, set here, is used by
# acpi_uefi_tests.cmake, included after this file.

# The command line reaches the kernel verbatim, spaces and '=' included.
keel_boot_test(boot.bios.cmdline
    ARGS --kernel "${KEEL_KERNEL_ELF}" --cmdline "hello world=1"
         --expect "${ready}" --expect [[command line: hello world=1$]] --reject PANIC)

# A command line longer than the kernel keeps (1023 bytes): the word cut in
# the middle (here `test=...`) is dropped with a warning, never half-applied.
string(REPEAT "loglevel=info " 78 long_cmdline)
keel_boot_test(boot.bios.cmdline_truncated
    ARGS --kernel "${KEEL_KERNEL_ELF}" --cmdline "${long_cmdline}test=paging_foo"
         --expect "${ready}" --reject PANIC --reject KTAP
         --expect [[command line is longer than 1023 bytes: its last, cut word is ignored]])

# Boot information the kernel reports (issue 3): GRUB modules with their
# exact sizes, the ACPI RSDP, and under UEFI the EFI system table.
keel_boot_test(boot.modules
    ARGS --kernel "${KEEL_KERNEL_ELF}"
         --generated-module alpha.bin:12345 --generated-module beta.bin:4096
         --expect "${ready}" --reject PANIC
         --expect [[module .*alpha\.bin.* 12345 bytes]]
         --expect [[module .*beta\.bin.* 4096 bytes]])
# More modules than the kernel keeps (32): the boot goes on, the rest are
# counted and named, their memory kept; on UEFI the screen stays the
# framebuffer (issue 14.2, 14.3: this used to panic on a black screen).
set(keel_many_modules)
foreach(i RANGE 1 40)
    list(APPEND keel_many_modules --generated-module m${i}.bin:4096)
endforeach()
keel_boot_test(boot.modules.40 TIMEOUT 90
    ARGS --kernel "${KEEL_KERNEL_ELF}" ${keel_many_modules}
         --expect "${ready}" --reject PANIC
         --expect [[^module 31: .*m32\.bin]]
         --expect [[8 more modules at 0x[0-9a-f]+-0x[0-9a-f]+ are not tracked \(Keel keeps 32\), their memory is kept: .*m33\.bin, .*m40\.bin]])
# Under UEFI: platfix.uefi.acpi.pc_smp4 (acpi_uefi_tests.cmake).

keel_boot_test(boot.bios.rsdp
    ARGS --iso "${KEEL_ISO}" --expect "${ready}" --reject PANIC
         --expect [[ACPI RSDP at 0x[0-9a-fA-F]+]])
# (Under UEFI: boot.uefi.ready.)

# Command-line options take effect, and unknown ones are reported.
keel_boot_test(boot.options.serial_console
    ARGS --direct "${CMAKE_BINARY_DIR}/keel.elf" --cmdline "console=serial"
         --expect "${ready}" --reject PANIC --expect [[console: serial \(console=serial]])
keel_boot_test(boot.options.unknown
    ARGS --direct "${CMAKE_BINARY_DIR}/keel.elf" --cmdline "frobnicate=7 loglevel=loud"
         --expect "${ready}" --reject PANIC
         --expect [[unknown option 'frobnicate=7']]
         --expect [[invalid value 'loglevel=loud' \(valid: debug, info, warn, error\)$]])
