# The ACPI report under OVMF (issue 9, Tests: "the ACPI report on each
# firmware"), and the power button's event setup it leads to
# (docs/power.md "The power button"). Included by tests/CMakeLists.txt.
# UEFI boots cost 5-8 s each (about 5 s of TCG time in OVMF before GRUB):
# two, each checking several lines, and each also checking what another
# OVMF boot would (40 modules on pc, the keyboard on q35). The overrides
# and the power phase's event line are debug lines: loglevel=debug.
# power.button.uefi.q35 (power_tests.cmake) covers q35 with its HPET.

# OVMF pc: the revision 2 RSDP and its XSDT, four CPUs, the PIIX4's GPE0
# block at OVMF's PM base (0xB000 - 0x20), no MCFG. With more modules than
# the kernel keeps (boot.modules.40's under SeaBIOS): the boot goes on and
# the screen stays the framebuffer (issue 14.2, 14.3: this used to panic
# on a black screen). The four CPUs all come online, and the `poweroff`
# option then turns the machine off through OVMF's PM1a port (0xb004):
# the power-off request under OVMF on pc (power.off.bios.* under SeaBIOS).
keel_boot_test(platfix.uefi.acpi.pc_smp4 TIMEOUT 120
    ARGS --kernel "${KEEL_KERNEL_ELF}" --firmware uefi --machine pc --smp 4
         --cmdline "loglevel=debug poweroff" --expect "${ready}" --reject PANIC
         --expect [[^smp: 4 CPUs online \(APIC IDs 0 1 2 3\) in [0-9]+ ms$]]
         --expect [[^debug: clock: the ACPI PM timer agrees with the HPET \([0-9]+ PM timer ticks\)$]]
         --reject "^smp: .*(skipped|not started|cannot)"
         --no-debug-exit --allow-reboot --expect-exit 0 --reject [[still on 5 s after]]
         --exit-within 5 [[^power: powering off]]
         --expect [[^power: powering off \(PM1a control io 0xb004, SLP_TYPa 0\)$]]
         ${keel_many_modules} --expect [[console: framebuffer]] --expect-screen "${ready}"
         --expect [[^module 31: .*m32\.bin]]
         --expect [[^acpi: RSDP revision 2 \(BOCHS \), XSDT at 0x]]
         --expect [[^acpi: [0-9]+ tables \(FACP APIC HPET]]
         --expect [[^cpus: 4 in the MADT \(APIC IDs 0 1 2 3\)$]]
         --expect [[^ioapic 0 at 0xfec00000, GSI 0-23$]]
         --expect [[^debug: irq override: IRQ 0 -> GSI 2 \(edge, high\)$]]
         --expect [[^hpet at 0xfed00000$]] --expect [[^pci ecam: none]]
         --expect [[^debug: power: every PM1 and GPE event disabled and cleared but the button \(GPE0 io 0xafe0, 2\+2 registers; no GPE1\)$]]
         --expect [[^power: power button enabled \(PM1 event block io 0xb000\)$]])
# OVMF q35 without its HPET: four CPUs, the ICH9's 16-byte GPE0 block, the
# MCFG, and the report saying there is no HPET. Then the keyboard's keys
# typed through QMP arrive decoded (input.keyboard.bios's, input_tests.cmake).
keel_boot_test(platfix.uefi.acpi.q35_smp4_nohpet TIMEOUT 120
    ARGS --kernel "${KEEL_KERNEL_ELF}" --firmware uefi --machine q35 --smp 4
         --qemu-arg=-no-hpet --cmdline "loglevel=debug input=echo" --expect "${ready}"
         ${input_common} ${input_keyboard_args}
         --expect [[^acpi: RSDP revision 2 \(BOCHS \), XSDT at 0x]]
         --expect [[^cpus: 4 in the MADT \(APIC IDs 0 1 2 3\)$]]
         --expect [[^ioapic 0 at 0xfec00000, GSI 0-23$]]
         --expect [[^debug: irq override: IRQ 0 -> GSI 2 \(edge, high\)$]]
         --expect [[^hpet: none$]] --reject [[^hpet at]]
         --expect [[^pci ecam: segment 0 buses 0-255 at 0xb0000000$]]
         --expect [[^debug: power: every PM1 and GPE event disabled and cleared but the button \(GPE0 io 0x620, 8\+8 registers; no GPE1\)$]])
# OVMF pc without its HPET: power.button.uefi.pc (power_tests.cmake).

# Bochs at loglevel=debug: bochs.poweroff (bochs_tests.cmake).
