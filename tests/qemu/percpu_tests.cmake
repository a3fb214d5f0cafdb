# Per-CPU state allocated for the CPUs that exist (docs/smp.md, "Per-CPU
# state"): every CPU's copy of each per-CPU variable is its own, and a CPU
# the heap has no area for is left off in words, never started without its
# state. Included by tests/CMakeLists.txt, which defines keel_boot_test();
# keel_smp_line comes from tests/qemu/smp_tests.cmake.

# The in-kernel tests on 4 CPUs: each CPU writes its own copy through its
# own index and the boot CPU reads four different values back; the copies
# lie in four areas; the block GS points at is the CPU's copy.
keel_boot_test(percpu.ktest.4 TIMEOUT 90
    ARGS --direct "${CMAKE_BINARY_DIR}/keel.elf" --smp 4 --cmdline test=smp_per_cpu --ktap
         --expect-exit 33 --reject PANIC
         --expect [[^ok [0-9]+ smp_per_cpu_copies_are_each_cpus_own$]]
         --expect [[^ok [0-9]+ smp_per_cpu_blocks_in_their_areas$]])

# fault=percpu-memory: only the first AP gets an area, as if the heap were
# out; the other two are not started, named in one warning with the size
# that was missing, and the boot goes on with two CPUs.
keel_smp_line(line 2 "0 1")
keel_boot_test(percpu.fault.memory TIMEOUT 60
    ARGS --direct "${CMAKE_BINARY_DIR}/keel.elf" --smp 4
         --cmdline "fault=percpu-memory loglevel=debug" --expect "${ready}" --expect "${line}"
         --expect [[^debug: smp: per-CPU state: [0-9]+ bytes per CPU, 1 of 3 CPUs' from the heap$]]
         --expect [[^warning: smp: 2 CPUs not started \(APIC IDs 2 3\): no memory for their per-CPU state \([0-9]+ bytes each\)$]]
         --expect [[^smp: TSC synchronised across 2 CPUs$]]
         --reject PANIC --reject "APIC ID [23] skipped")
