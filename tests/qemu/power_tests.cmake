# Power tests (src/drivers/power, docs/power.md): power-off, the ACPI power
# button, each reboot method, the end of `test` mode without isa-debug-exit,
# and ECAM on q35. Included by tests/CMakeLists.txt (keel_boot_test()).
#
# A power-off test boots without isa-debug-exit (--no-debug-exit) and
# without -no-reboot (--allow-reboot): QEMU then exits only if the guest
# really powered off (a reset would reboot and run into the timeout), and
# must do so within 5 s of the kernel's request (--exit-within). A reboot
# test keeps -no-reboot, so the reset ends QEMU, and rejects the line that
# says a method did not act and the next is tried.

set(power_off_runs --no-debug-exit --allow-reboot --expect-exit 0 --reject PANIC
    --reject [[still on 5 s after]] --exit-within 5 [[^power: powering off]])

# Power-off request (the `poweroff` boot option) on pc and q35 under
# SeaBIOS. Under OVMF (PM1a at 0xb004 on pc: platform-facts §4.3) the
# request ends platfix.uefi.acpi.pc_smp4, and the same two lines are
# checked by the power button's boots below, which end in the same
# soft-off: an OVMF boot costs about 5 s before GRUB.
foreach(machine IN ITEMS pc q35)
    keel_boot_test(power.off.bios.${machine} TIMEOUT 90
        ARGS --kernel "${KEEL_KERNEL_ELF}" --cmdline poweroff --machine ${machine} ${power_off_runs}
             --expect "^power: soft-off through PM1a control io 0x604, SLP_TYPa 0$"
             --expect "^power: powering off \\(PM1a control io 0x604, SLP_TYPa 0\\)$")
endforeach()

# The power button (QMP system_powerdown, the SCI, PM1 event block), on
# pc and q35 under SeaBIOS and OVMF (pc+OVMF: PM1 event block 0xb000).
# Under OVMF also the firmware's PM1a control port in the power-off lines.
# An OVMF boot costs about 5 s before GRUB, so these two check the rest of
# what the stock ISO reports under OVMF before the button is pressed:
# pc+OVMF boots without its HPET and checks the ACPI report says so;
# q35+OVMF boots two CPUs and checks the interrupt report, PCI through
# ECAM, the ACPI report (the XSDT, the tables in firmware memory), SMP and
# the framebuffer console remapped write-combining.
set(idle [[^In QEMU: close the window]])
foreach(variant IN ITEMS bios.pc bios.q35 uefi.pc uefi.q35)
    string(REPLACE "." ";" parts "${variant}")
    list(GET parts 0 firmware)
    list(GET parts 1 machine)
    set(extra)
    if(firmware STREQUAL "uefi")
        set(port 604)
        if(machine STREQUAL "pc")
            set(port b004)
            set(extra --qemu-arg=-no-hpet
                --expect [[^cpus: 1 in the MADT \(APIC IDs 0\)$]]
                --expect [[^hpet: none$]] --reject [[^hpet at]])
        else()
            set(extra --smp 2 --expect "${irq_summary}" --expect "${irq_timer}" ${irq_quiet}
                ${pci_ecam_expects}
                --expect [[^smp: 2 CPUs online \(APIC IDs 0 1\) in [0-9]+ ms$]]
                --reject "^smp: .*(skipped|not started|cannot)"
                --expect [[^acpi: RSDP revision 2 .*XSDT at 0x]]
                --expect [[^cpus: 2 in the MADT \(APIC IDs 0 1\)$]]
                --expect [[^ioapic 0 at 0xfec00000, GSI 0-23$]] --expect [[^hpet at 0xfed00000$]]
                --expect [[^pci ecam: segment 0 buses 0-255 at 0xb0000000$]]
                --expect [[^console: framebuffer at 0x[0-9a-f]+ is write-combining, drawn through a [0-9]+ KiB shadow$]])
        endif()
        list(APPEND extra
            --expect "^power: soft-off through PM1a control io 0x${port}, SLP_TYPa 0$"
            --expect "^power: powering off \\(PM1a control io 0x${port}, SLP_TYPa 0\\)$")
    endif()
    keel_boot_test(power.button.${variant} TIMEOUT 90
        ARGS --iso "${KEEL_ISO}" --firmware ${firmware} --machine ${machine}
             --no-debug-exit --allow-reboot --expect-exit 0 --reject PANIC
             --reject [[still on 5 s after]] --powerdown-after "${idle}" --exit-within 5 "${idle}"
             --expect [[^power: power button enabled \(PM1 event block io 0x[0-9a-f]+\)$]]
             --expect [[^power: power button pressed, powering off$]]
             --expect [[^power: powering off \(]] ${extra})
endforeach()

# `test` mode on a machine without isa-debug-exit ends by powering off,
# with the KTAP report complete on COM1.
keel_boot_test(power.ktest_without_debug_exit TIMEOUT 60
    ARGS --direct "${CMAKE_BINARY_DIR}/keel.elf" --cmdline test=format --ktap ${power_off_runs}
         --expect [[^test: all passed; no isa-debug-exit device, so the tests end by powering off$]])

# Each reboot method, forced by reboot=<method>: QEMU's -no-reboot turns the
# reset into an exit. q35's FADT has the ACPI reset register; pc's (revision
# 1) has none.
set(reboot_runs --expect-exit 0 --reject PANIC --reject [[still running 500 ms after]])
keel_boot_test(power.reboot.acpi
    ARGS --kernel "${KEEL_KERNEL_ELF}" --cmdline reboot=acpi --machine q35 ${reboot_runs}
         --expect [[^power: rebooting through the ACPI reset register \(io 0xcf9 <- 0xf\)$]]
         --exit-within 5 [[^power: rebooting through the ACPI]])
keel_boot_test(power.reboot.acpi_absent_falls_back
    ARGS --direct "${CMAKE_BINARY_DIR}/keel.elf" --cmdline reboot=acpi ${reboot_runs}
         --expect [[^power: no ACPI reset register \(the FADT is too short for one\)$]]
         --expect [[^power: rebooting through port 0xcf9$]]
         --exit-within 5 [[^power: rebooting through port 0xcf9]])
foreach(method IN ITEMS cf9 kbd triple)
    set(line [[^power: rebooting through port 0xcf9$]])
    if(method STREQUAL "kbd")
        set(line [[^power: rebooting through the 8042 reset line$]])
    elseif(method STREQUAL "triple")
        set(line [[^power: rebooting by a triple fault$]])
    endif()
    keel_boot_test(power.reboot.${method}
        ARGS --direct "${CMAKE_BINARY_DIR}/keel.elf" --cmdline reboot=${method} ${reboot_runs}
             --expect "${line}" --exit-within 5 "${line}")
endforeach()

# ECAM on q35: the MCFG's region is used, and both access methods read the
# same configuration space.
# (pci_ecam_expects: tests/CMakeLists.txt; under OVMF: power.button.uefi.q35.)
keel_boot_test(boot.pci.ecam.bios TIMEOUT 90
    ARGS --iso "${KEEL_ISO}" --machine q35 --expect "${ready}" --reject PANIC ${pci_ecam_expects})
