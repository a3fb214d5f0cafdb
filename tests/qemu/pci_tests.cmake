# PCI (docs/pci.md): the boot report of each machine type and of extra
# devices, line for line and compared with QEMU's own view (--check-pci).
# An MCFG that lies: acpi_tables_tests.cmake; ECAM on q35: power_tests.cmake.
# Included by tests/CMakeLists.txt, which defines keel_boot_test().

# PCI (docs/pci.md): the boot report of each machine, line for line, and
# compared by the runner with QEMU's own `info pci` (--check-pci: the same
# functions, vendor and device IDs, and BAR sizes). The runner passes
# -nic none, so there is no default NIC.
set(pci_vga [[^pci 00:0[12]\.0 \[0300\] VGA compatible controller: 1234:1111 \(unknown device\) \(rev 02\), BAR0 16 MiB mem pref, BAR2 4 KiB mem$]])
keel_boot_test(boot.pci.pc
    ARGS --iso "${KEEL_ISO}" --expect "${ready}" --reject PANIC --reject [[^pci .*problem]] --check-pci
         --expect [[^pci 00:00\.0 \[0600\] Host bridge: Intel Corporation 440FX - 82441FX PMC \[Natoma\] \[8086:1237\] \(rev 02\)$]]
         --expect [[^pci 00:01\.0 \[0601\] ISA bridge: Intel Corporation 82371SB PIIX3 ISA \[Natoma/Triton II\] \[8086:7000\]$]]
         --expect [[^pci 00:01\.1 \[0101\] IDE interface: Intel Corporation 82371SB PIIX3 IDE \[Natoma/Triton II\] \[8086:7010\], BAR4 16 B io$]]
         --expect [[^pci 00:01\.3 \[0680\] Bridge: Intel Corporation 82371AB/EB/MB PIIX4 ACPI \[8086:7113\] \(rev 03\), INTA IRQ 9$]]
         --expect "${pci_vga}"
         --expect [[^pci: 5 functions on 1 bus \(ports 0xcf8/0xcfc, [0-9]+ configuration accesses\)$]])
keel_boot_test(boot.pci.q35
    ARGS --direct "${CMAKE_BINARY_DIR}/keel.elf" --machine q35 --expect "${ready}" --reject PANIC
         --check-pci
         --expect [[^pci 00:00\.0 \[0600\] Host bridge: Intel Corporation 82G33/G31/P35/P31 Express DRAM Controller \[8086:29c0\]$]]
         --expect "${pci_vga}"
         --expect [[^pci 00:1f\.0 \[0601\] ISA bridge: Intel Corporation 82801IB \(ICH9\) LPC Interface Controller \[8086:2918\] \(rev 02\)$]]
         --expect [[^pci 00:1f\.2 \[0106\] SATA controller: .* \[8086:2922\] \(rev 02\), BAR4 32 B io, BAR5 4 KiB mem, INTA IRQ [0-9]+, caps MSI$]]
         --expect [[^pci 00:1f\.3 \[0c05\] SMBus: Intel Corporation 82801I \(ICH9 Family\) SMBus Controller \[8086:2930\] \(rev 02\), BAR4 64 B io, INTA IRQ [0-9]+$]]
         --expect [[^pci: 5 functions on 1 bus ]])
# Extra devices appear with their names and BARs, one behind a PCI-to-PCI
# bridge on bus 1 (the firmware numbers it); e1000's BAR0 is 128 KiB.
keel_boot_test(boot.pci.devices TIMEOUT 60
    ARGS --direct "${CMAKE_BINARY_DIR}/keel.elf" --expect "${ready}" --reject PANIC --check-pci
         --qemu-arg=-device --qemu-arg=e1000 --qemu-arg=-device --qemu-arg=virtio-net-pci
         --qemu-arg=-blockdev --qemu-arg=driver=null-co,node-name=nv
         --qemu-arg=-device --qemu-arg=nvme,serial=keel,drive=nv
         --qemu-arg=-device --qemu-arg=ich9-ahci --qemu-arg=-device --qemu-arg=qemu-xhci
         --qemu-arg=-device --qemu-arg=pci-bridge,chassis_nr=1,id=b1
         --qemu-arg=-device --qemu-arg=e1000,bus=b1,addr=1
         --expect [[^pci 00:03\.0 \[0200\] Ethernet controller: Intel Corporation 82540EM Gigabit Ethernet Controller \[8086:100e\] \(rev 03\), BAR0 128 KiB mem, BAR1 64 B io, INTA IRQ [0-9]+$]]
         --expect [[^pci 00:04\.0 \[0200\] Ethernet controller: Red Hat, Inc\. Virtio network device \[1af4:1000\], BAR0 32 B io, BAR1 4 KiB mem, BAR4 16 KiB mem64 pref, INTA IRQ [0-9]+, caps MSI-X$]]
         --expect [[^pci 00:05\.0 \[0108\] Non-Volatile memory controller: Red Hat, Inc\. QEMU NVM Express Controller \[1b36:0010\] \(rev 02\), BAR0 16 KiB mem64, INTA IRQ [0-9]+, caps MSI-X PCIe$]]
         --expect [=[^pci 00:06\.0 \[0106\] SATA controller: Intel Corporation .* \[AHCI mode\] \[8086:2922\]]=]
         --expect [[^pci 00:07\.0 \[0c03\] USB controller: Red Hat, Inc\. QEMU XHCI Host Controller \[1b36:000d\] \(rev 01\), BAR0 16 KiB mem64]]
         --expect [[^pci 00:08\.0 \[0604\] PCI bridge: Red Hat, Inc\. QEMU PCI-PCI bridge \[1b36:0001\], BAR0 256 B mem64, buses 01-01]]
         --expect [[^pci 01:01\.0 \[0200\] Ethernet controller: Intel Corporation 82540EM .* BAR0 128 KiB mem, BAR1 64 B io]]
         --expect [[^pci: 12 functions on 2 buses ]])
