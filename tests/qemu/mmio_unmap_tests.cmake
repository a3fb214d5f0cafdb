# unmap_mmio (docs/virtual-memory.md, "MMIO and firmware mappings"): the
# in-kernel tests of map -> unmap -> no translation -> the range reused,
# and each I/O APIC mapped once (the ACPI report's read of its inputs and
# the interrupt driver share one mapping: arch::io_apic_inputs). Included
# by tests/CMakeLists.txt, which defines keel_boot_test().
keel_boot_test(vm.ktest.unmap_mmio TIMEOUT 60
    ARGS --direct "${CMAKE_BINARY_DIR}/keel.elf" --cmdline test=vm_unmap_mmio --ktap
         --expect-exit 33 --reject PANIC
         --expect [[^ioapic 0 at 0xfec00000, GSI 0-23$]]
         --expect [[^ok [0-9]+ vm_unmap_mmio_stops_translating_and_reuses_the_range$]]
         --expect [[^ok [0-9]+ vm_unmap_mmio_refuses_what_is_not_a_whole_mapping$]]
         --expect [[^ok [0-9]+ vm_unmap_mmio_leaves_each_io_apic_mapped_once$]])
