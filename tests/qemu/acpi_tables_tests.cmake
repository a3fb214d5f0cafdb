# ACPI tables (issue 9, docs/acpi.md): the report the ACPI phase logs from
# QEMU's tables under SeaBIOS, and tables that lie (an MCFG, an HPET table
# or a second MADT added by the runner's --acpi-table, naming the wrong
# device, RAM or an address past the CPU's physical address width): each
# is refused or ignored in words and the boot goes on. Under OVMF:
# acpi_uefi_tests.cmake. Included by tests/CMakeLists.txt, which defines
# keel_boot_test().

# ACPI (issue 9): the report the ACPI phase logs from QEMU's tables. SeaBIOS
# on pc: four CPUs, the I/O APIC's 24 inputs read from its version
# register through an uncached mapping, the PIT's override, the HPET, and
# no override at info level (so the 25-line screen keeps the memory report).
# The overrides are debug lines (the summary is info): loglevel=debug.
keel_boot_test(boot.acpi.smp4
    ARGS --direct "${CMAKE_BINARY_DIR}/keel.elf" --cmdline loglevel=debug --smp 4 --expect "${ready}"
         --reject PANIC
         --expect [[^acpi: [0-9]+ tables \(FACP APIC HPET]]
         --expect [[^cpus: 4 in the MADT \(APIC IDs 0 1 2 3\)$]]
         --expect [[^ioapic 0 at 0xfec00000, GSI 0-23$]]
         --expect [[^debug: irq override: IRQ 0 -> GSI 2 \(edge, high\)$]]
         --expect [[^hpet at 0xfed00000$]] --expect [[^pci ecam: none]])
keel_boot_test(boot.acpi.levels
    ARGS --direct "${CMAKE_BINARY_DIR}/keel.elf" --expect "${ready}" --reject PANIC
         --expect [[^cpus: 1 in the MADT]] --reject [[irq override:]])
# q35 has an MCFG: PCI Express configuration space.
keel_boot_test(boot.acpi.q35
    ARGS --direct "${CMAKE_BINARY_DIR}/keel.elf" --machine q35 --expect "${ready}" --reject PANIC
         --expect [[^pci ecam: segment 0 buses 0-255 at 0xb0000000$]])
keel_boot_test(boot.acpi.nohpet
    ARGS --direct "${CMAKE_BINARY_DIR}/keel.elf" --qemu-arg=-no-hpet --expect "${ready}" --reject PANIC
         --expect [[^hpet: none$]] --reject [[^hpet at]])
# No ACPI at all: the boot says so and goes on.
# Its subject is the missing tables, not the clock: without ACPI only PIT
# channel 2 can time the TSC, and on a busy host every PIT window may be
# disturbed (seen once in a full run), so `ready` may come without a boot
# time; time.no_acpi checks that calibration, in the timing pass.
keel_boot_test(boot.acpi.none
    ARGS --direct "${CMAKE_BINARY_DIR}/keel.elf" --qemu-arg=-machine --qemu-arg=acpi=off
         --expect [[^ready( in [0-9]+ us| \(boot time unknown)]]
         --reject PANIC --expect [[acpi: the loader found no RSDP: no ACPI tables]]
         --reject [[^cpus:]])
# OVMF (the XSDT, the tables in firmware memory, the framebuffer console
# remapped write-combining, both CPUs started): power.button.uefi.q35.

# An MCFG whose ECAM base is wrong: here the standard VGA's framebuffer
# BAR (0xfd000000 under SeaBIOS), a device that answers reads. Bus 0
# device 0 reads something there, but not what ports 0xcf8/0xcfc read, so
# ECAM is refused by name and the real functions are listed through the
# ports. (Before, a base in RAM was taken for 150 functions on 3 buses and
# their "BARs" written, found by a QEMU configuration sweep.) The body:
# 8 bytes reserved, then base 0xfd000000, segment 0, buses 0-255.
keel_boot_test(boot.pci.bad_mcfg
    ARGS --direct "${CMAKE_BINARY_DIR}/keel.elf"
         --acpi-table MCFG:0000000000000000000000fd00000000000000ff00000000
         --expect [[^pci ecam: segment 0 buses 0-255 at 0xfd000000$]]
         --expect [[^warning: pci: the MCFG's ECAM region at 0xfd000000 disagrees with ports 0xcf8/0xcfc at 00:00\.0 \(offset 0x0: 0x[0-9a-f]+ against 0x12378086\): not used$]]
         --expect [[^pci: 5 functions on 1 bus \(ports 0xcf8/0xcfc, [0-9]+ configuration accesses\)$]]
         --reject [[unclassified]] --reject PANIC --expect "${ready}")

# The same with the base at 1 MiB, which is available RAM on every PC: the
# mapping is refused before anything is read (arch::map_mmio refuses RAM
# for every device a table names), so RAM is neither read as registers nor
# written as BARs.
keel_boot_test(boot.pci.mcfg_in_ram
    ARGS --direct "${CMAKE_BINARY_DIR}/keel.elf"
         --acpi-table MCFG:00000000000000000000100000000000000000ff00000000
         --expect [[^warning: pci: the MCFG's ECAM region at 0x100000 is not used: it lies in available RAM \(the memory map says so\)$]]
         --expect [[^pci: 5 functions on 1 bus \(ports 0xcf8/0xcfc, [0-9]+ configuration accesses\)$]]
         --reject [[disagrees]] --reject PANIC --expect "${ready}")

# Firmware tables naming an address past the CPU's physical address width
# (qemu64: 40 bits): the HPET and the MCFG at 0xfff0000000000. Mapping it
# set reserved bits and the first access was a page fault PANIC (found by a
# QEMU configuration sweep); now the mapping is refused, each is not used,
# and the boot goes on (the clock on the PM timer, PCI through the ports).
# An MCFG of garbage (the sweep's: base all ones, segment 65535, bus 255)
# is not echoed as a region: it is counted as impossible and PCI goes
# through the ports.
keel_boot_test(boot.pci.garbage_mcfg
    ARGS --direct "${CMAKE_BINARY_DIR}/keel.elf"
         --acpi-table MCFG:0000000000000000ffffffffffffffffffffffff00000000
         --expect [[^warning: pci ecam: 1 region at an impossible address ignored$]]
         --reject [[^pci ecam: segment]] --reject [[MCFG lists no region]]
         --expect [[^pci: 5 functions on 1 bus \(ports 0xcf8/0xcfc, [0-9]+ configuration accesses\)$]]
         --reject PANIC --expect "${ready}")

# A second MADT (3 of 200 real machines list two): one is used, the other
# named as ignored. The body: the local APIC at 0xfee00000, PCAT_COMPAT,
# one enabled local APIC (ID 0).
keel_boot_test(boot.acpi.second_madt
    ARGS --direct "${CMAKE_BINARY_DIR}/keel.elf"
         --acpi-table APIC:0000e0fe01000000000800000100000000
         --expect [[^warning: acpi: APIC at 0x[0-9a-f]+ ignored \(the APIC at 0x[0-9a-f]+ is used\)$]]
         --expect [[^cpus: 1 in the MADT \(APIC IDs 0\)$]]
         --reject PANIC --expect "${ready}")

keel_boot_test(boot.acpi.beyond_maxphyaddr
    ARGS --direct "${CMAKE_BINARY_DIR}/keel.elf" --machine pc,hpet=off --memory 256M
         --acpi-table HPET:01a28680004000000000000000ff0f0000800000
         --acpi-table MCFG:00000000000000000000000000ff0f00000000ff00000000
         --expect [[^warning: hpet: the one at 0xfff0000000000 is not used: its address is beyond the CPU's physical address width$]]
         --expect [[^warning: pci: the MCFG's ECAM region at 0xfff0000000000 is not used: the physical range reaches past the CPU's physical address width$]]
         --expect [[^pci: [0-9]+ functions on 1 bus \(ports 0xcf8/0xcfc]]
         --reject PANIC --expect "${ready}")

# An HPET table naming available RAM (1 MiB): no device is there, so it is
# not used, rather than read as one and "enabled" by writing RAM.
keel_boot_test(boot.acpi.hpet_in_ram
    ARGS --direct "${CMAKE_BINARY_DIR}/keel.elf" --machine pc,hpet=off
         --acpi-table HPET:01a2868000400000000010000000000000800000
         --expect [[^warning: hpet: the one at 0x100000 is not used: it lies in available RAM \(the memory map says so\)$]]
         --expect [[^clock: TSC [0-9.]+ GHz from the ACPI PM timer]]
         --reject [[^hpet: 0x100000]] --reject PANIC --expect "${ready}")

# A MADT the user supplies in a GRUB module (`module2 ... acpi-table`,
# docs/acpi.md "Replacing a table"), used instead of QEMU's: here one that
# places the only I/O APIC at 1 MiB, available RAM. The chip is refused by
# name before a register is read or written (arch::map_mmio refuses RAM),
# the interrupts line says none can be used, and the boot goes on. A module
# that claims to be a table but is not (bytes of no table) is refused in
# words and changes nothing. The MADT's body: the local APIC at 0xfee00000,
# PCAT_COMPAT; one enabled local APIC (ID 0); I/O APIC 0 at 0x100000, GSI
# base 0; IRQ 0 -> GSI 2.
keel_boot_test(boot.acpi.supplied_madt
    ARGS --kernel "${KEEL_KERNEL_ELF}"
         --generated-module junk.bin:64=acpi-table
         --acpi-module APIC:0000e0fe010000000008000001000000010c00000000100000000000020a0000020000000000
         --expect [[^warning: acpi: module 'acpi-table' at 0x[0-9a-f]+ is not used as an ACPI table: its length runs past the end of the module$]]
         --expect [[^acpi: APIC at 0x[0-9a-f]+ comes from a boot module, in place of the one at 0x[0-9a-f]+$]]
         --expect [[^ioapic 0 at 0x100000, GSI base 0$]]
         --expect [[^warning: ioapic 0 at 0x100000: not used: it lies in available RAM \(the memory map says so\)$]]
         --expect [[^warning: interrupts: none of the MADT's 1 I/O APIC can be used; device interrupts off$]]
         --reject PANIC --expect "${ready}")

# A supplied MADT listing one real I/O APIC (0xfec00000, GSIs 0-23) among
# six that cannot be: on the local APIC's page, where QEMU takes register
# writes for interrupt messages (this once delivered vector 17 and
# panicked as a bogus #AC); at an address not 16-byte aligned; at the real
# one's address again; in RAM; at 0xfec00010, whose "select register" is
# the real chip's window; and at 0xfec01000, where nothing answers, its one
# "input" (GSI 8) overlapping the real chip's. Each is refused in words
# before any redirection entry is written; only the repeat (whose registers
# are the real chip's) and 0xfec01000 have a version register read. The
# real one serves the devices (the keyboard's line is installed).
keel_boot_test(boot.acpi.hostile_ioapics
    ARGS --kernel "${KEEL_KERNEL_ELF}"
         --acpi-module APIC:0000e0fe010000000008000001000000010c00000000c0fe00000000010c01000000e0fe18000000010c02000400c0fe18000000010c03000000c0fe18000000010c04000000100018000000010c05000010c0fe08000000010c06001000c0fe30000000020a0000020000000000020a0009090000000d00
         --expect [[^warning: ioapic 1 at 0xfee00000: not used: it lies in the local APIC's range 0xfee00000-0xfeefffff, where a write is an interrupt message$]]
         --expect [[^warning: ioapic 2 at 0xfec00004: not used: its address is not 16-byte aligned, as its registers are$]]
         --expect [[^warning: ioapic 3 at 0xfec00000: not used: another I/O APIC at that address is used$]]
         --expect [[^warning: ioapic 4 at 0x100000: not used: it lies in available RAM \(the memory map says so\)$]]
         --expect [[^warning: ioapic 5 at 0xfec01000: not used: its GSIs 8-8 overlap another's$]]
         --expect [[^warning: ioapic 6 at 0xfec00010: not used: its registers overlap another I/O APIC's$]]
         --expect [[^interrupts: local APIC 0 \(xAPIC at 0xfee00000\), 1 I/O APIC, PIC masked$]]
         --reject [[IRQ 1 for ps/2 keyboard not installed]] --reject PANIC --expect "${ready}")

# A supplied MADT listing six enabled CPUs on a one-CPU machine (firmware
# that lists every possible CPU as present): each absent one costs the 2 s
# start timeout, so after three the rest are not tried, in one line,
# instead of holding the boot 2 s for each (254 would be 8 minutes).
keel_boot_test(boot.acpi.absent_cpus TIMEOUT 60
    ARGS --kernel "${KEEL_KERNEL_ELF}"
         --acpi-module APIC:0000e0fe01000000000800000100000000080101010000000008020201000000000803030100000000080404010000000008050501000000010c00000000c0fe00000000020a0000020000000000
         --expect [[^warning: smp: CPU with APIC ID 3 skipped: it did not reach the kernel in time$]]
         --expect [[^warning: smp: 2 more CPUs the MADT lists not started: 3 did not reach the kernel, so the table is taken to list CPUs that are not there$]]
         --expect [[^smp: 1 CPU online \(APIC ID 0\) in [0-9]+ ms$]]
         --reject [[APIC ID 4 skipped]] --reject PANIC --expect "${ready}")

# A supplied FADT (QEMU's, made revision 3 with a reset register) whose
# PM1a control block is at port 0xffff, where its 16-bit register would run
# past the last port, and whose reset register is in the local APIC's
# range: the power-off plan is dropped in words at boot, not half-written
# at power-off, and a power-off request (the `poweroff` option) says why and
# halts; the reset register is named as unreachable.
keel_boot_test(boot.acpi.unreachable_power_registers
    ARGS --kernel "${KEEL_KERNEL_ELF}" --cmdline poweroff
         --acpi-module FACP:0000fe0f4000fe0f01000900b2000000f1f000000006000000000000ffff0000000000000000000008060000e0af0000000000000402000404000000ff0fff0f000000000000000032000000a5840000000800010003e0fe000000000600000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000
         --expect [[^warning: power: the register at io 0xffff cannot be reached$]]
         --expect [[^warning: power: power-off will not work: a register it must write cannot be reached \(a port past 0xffff, or memory that cannot be mapped\)$]]
         --expect [[^warning: power: the FADT's reset register at memory 0xfee00300 cannot be reached$]]
         --reject [[soft-off through]] --reject PANIC --expect "${ready}"
         --expect [[^error: power: cannot power off: a register it must write cannot be reached \(a port past 0xffff, or memory that cannot be mapped\); halting instead$]])

# A supplied MADT with a second I/O APIC on the HPET's registers (0xfed00000,
# where the HPET table puts them): the chip is taken off the list by name,
# so no select or window write reaches the HPET (its configuration register
# at 0x10 would take a "masked entry" and stop the counter), and the HPET
# still counts after the Interrupts phase: a 100 ms sleep measured in HPET
# time (the in-kernel test).
keel_boot_test(boot.acpi.ioapic_on_hpet
    ARGS --kernel "${KEEL_KERNEL_ELF}" --cmdline test=timer_sleep --ktap --expect-exit 33
         --acpi-module APIC:0000e0fe010000000008000001000000010c00000000c0fe00000000010c01000000d0fe18000000020a0000020000000000020a0009090000000d00
         --expect [[^warning: ioapic 1 at 0xfed00000 ignored: its registers lie in the HPET's$]]
         --expect [[^interrupts: local APIC 0 \(xAPIC at 0xfee00000\), 1 I/O APIC, PIC masked$]]
         --expect-range [[^timer: sleep_us\(100000\) took ([0-9]+) us of HPET time$]] 99000 110000
         --reject PANIC)

# A supplied FADT (QEMU's) whose PM1a event block is the 8042's data port
# and whose SMI command port is the 8042's command port, with ACPI_ENABLE
# 0xfe, the 8042's "pulse the reset line": each is named and never
# written, and the boot goes on. (A random FADT sweep's PM1 block at 0x64
# reset the machine.)
keel_boot_test(boot.acpi.fadt_on_legacy_ports
    ARGS --kernel "${KEEL_KERNEL_ELF}"
         --acpi-module FACP:0000fe0f4000fe0f0100090064000000fef00000600000000000000004060000000000000000000008060000e0af0000000000000402000404000000ff0fff0f000000000000000032000000a5800000
         --expect [[^warning: power: the FADT's PM1 register at io 0x60 lies on the 8042 controller's ports: not used$]]
         --expect [[^warning: power: the FADT's SMI command port 0x64 lies on the 8042 controller's ports: ACPI mode not entered$]]
         --reject PANIC --expect "${ready}")
