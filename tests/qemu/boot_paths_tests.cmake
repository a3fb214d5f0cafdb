# The ways in (docs/boot.md): the ISO through GRUB under SeaBIOS on both
# machine types and under OVMF, what the screen shows at the end of the
# boot, a virtio-gpu framebuffer GRUB reports at address 0, a kernel GRUB
# cannot load, and the loader's text with odd bytes. The direct (PVH)
# path: pvh_tests.cmake. Included by tests/CMakeLists.txt, which defines
# keel_boot_test().

# BIOS (SeaBIOS, i440FX): the ISO the build makes.
keel_boot_test(boot.bios.ready
    ARGS --iso "${KEEL_ISO}" --expect "${ready}" --reject PANIC)

# The VGA text screen shows the same log as COM1. It keeps the last 25 lines
# only, so the earlier line checked is one from near the end of the log.
# The 25-line VGA screen shows the end of the log: the PCI summary (the
# last report before ready; it was `free memory:` before the PCI and ACPI
# reports grew the log past one screen) and the ready line.
keel_boot_test(boot.bios.screen
    ARGS --iso "${KEEL_ISO}" --expect "${ready}" --reject PANIC
         --expect-screen "${ready}" --expect-screen [[pci: [0-9]+ functions on [0-9]+ bus]])

# The other machine type (ICH9, AHCI CD-ROM, PCIe).
keel_boot_test(boot.q35
    ARGS --iso "${KEEL_ISO}" --machine q35 --expect "${ready}" --reject PANIC)

# UEFI (OVMF): GRUB hands over a GOP framebuffer; the screen is read back by
# matching 8x16 cells against the kernel's PSF font. On pc: the framebuffer
# console shows the end of the log and the shell's prompt (the start of the
# log has scrolled away by then); the boot information names the ACPI RSDP
# and the EFI system table (issue 3), which the kernel reads through a
# read-only mapping (its signature, the header's CRC32, the revision and
# OVMF's vendor string: issue 8); the interrupt report. (On q35:
# power.button.uefi.q35, power_tests.cmake.)
keel_boot_test(boot.uefi.ready TIMEOUT 60
    ARGS --iso "${KEEL_ISO}" --firmware uefi --expect "${ready}" --reject PANIC
         --expect-screen "${ready}" --expect-screen [[^keel> ]]
         --expect [[ACPI RSDP at 0x[0-9a-fA-F]+]] --expect [[EFI system table at 0x[0-9a-fA-F]+]]
         --expect [[^efi: system table at 0x[0-9a-f]+, UEFI 2\.[0-9]{2}, firmware "EDK II" revision 0x[0-9a-f]+$]]
         --reject [[^warning: efi:]]
         --expect "${irq_summary}" --expect "${irq_timer}" ${irq_quiet})
# OVMF on q35 (the interrupt report, PCI through ECAM, the ACPI report with
# two CPUs): power.button.uefi.q35 (power_tests.cmake), whose boot then
# ends by the power button; an OVMF boot costs about 5 s before GRUB.

# virtio-gpu under UEFI: GRUB reports its framebuffer at address 0; the
# log says so instead of blaming the framebuffer's layout.
keel_boot_test(boot.uefi.virtio_gpu TIMEOUT 90
    ARGS --iso "${KEEL_ISO}" --firmware uefi --qemu-arg=-vga --qemu-arg=none
         --qemu-arg=-device --qemu-arg=virtio-gpu-pci --reject PANIC --expect "${ready}"
         --expect [[console: serial \(the loader reported the framebuffer at address 0]])

# The screen ends with what to do next, not with a bare log line.
keel_boot_test(boot.hint
    ARGS --iso "${KEEL_ISO}" --expect "${ready}" --reject PANIC
         --expect-screen [[^In QEMU: close the window, or press Ctrl-A then X]])

# When GRUB cannot load the kernel, a serial-only user still reads why:
# GRUB's own error and iso/grub.cfg's failure path (issue 14.9); GRUB stays
# there instead of looping back into the menu (its wait loop's `true`
# module is on the ISO: without it GRUB said "true.mod not found").
file(WRITE "${CMAKE_CURRENT_BINARY_DIR}/not-a-kernel.elf" "this is not an ELF file\n")
keel_boot_test(boot.grub_failure_on_serial
    ARGS --kernel "${CMAKE_CURRENT_BINARY_DIR}/not-a-kernel.elf"
         --expect [[^error: premature end of file /boot/keel\.elf\.]]
         --expect [[GRUB could not start Keel: loading /boot/keel.elf or a module failed]]
         --reject [[not found|Press any key]])

# Loader text with control and non-UTF-8 bytes: make_iso.py takes it, the
# kernel logs it escaped (issue 14.6, 14.7).
add_test(NAME boot.loader_text
    COMMAND "${Python3_EXECUTABLE}" "${CMAKE_CURRENT_SOURCE_DIR}/qemu/loader_text_test.py"
            --kernel "${KEEL_BOOT_ELF}" --qemu "${KEEL_QEMU}")
set_tests_properties(boot.loader_text PROPERTIES LABELS qemu TIMEOUT 120)
