# All the CPUs (docs/smp.md, "Which CPUs"): more than the old limit of 8
# come online and agree on the TSC; cpus=N starts at most N, the boot CPU
# counted, and names the rest in one line; a bad cpus= is refused in words.
# Keel's own limit, 256, cannot be reached under TCG (no x2APIC; 255 can): the
# decision is host-tested (tests/host/cpu_selection_test.cpp). Included by
# tests/CMakeLists.txt, which defines keel_boot_test(); keel_smp_line comes
# from tests/qemu/smp_tests.cmake.

# 16 CPUs on q35: each named by its APIC ID, the TSC checked on all.
keel_smp_line(line 16 "0 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15")
keel_boot_test(cpus.smp.16 TIMEOUT 90
    ARGS --direct "${CMAKE_BINARY_DIR}/keel.elf" --machine q35 --smp 16 --expect "${ready}"
         --expect "${line}" --expect [[^smp: TSC synchronised across 16 CPUs$]]
         --reject PANIC --reject "^(warning: )?smp: .*(skipped|not started|cannot|did not)")

# The in-kernel SMP tests (src/kernel/smp/smp_ktest.cpp) on 12 CPUs: exact
# counts under a lock, each CPU finding its own block, cross-CPU calls, the
# allocators under load from all of them.
keel_boot_test(cpus.ktest.12 TIMEOUT 300
    ARGS --direct "${CMAKE_BINARY_DIR}/keel.elf" --smp 12 --cmdline test=smp_ --ktap --expect-exit 33
         --reject PANIC
         --expect [[^smp: TSC synchronised across 12 CPUs$]]
         --expect [[^smp test: 20000 locked increments on 12 CPUs$]]
         --expect [[^ok [0-9]+ smp_locked_increments_exact$]]
         --expect [[^ok [0-9]+ smp_each_cpu_finds_its_block$]]
         --expect [[^ok [0-9]+ smp_call_round_trips$]]
         --expect [[^ok [0-9]+ smp_allocators_exact_under_load$]])
set_tests_properties(cpus.ktest.12 PROPERTIES PROCESSORS ${keel_host_cores})

# 64 CPUs (about 3 s here under TCG, measured): every vCPU a host thread,
# so it claims every host core.
set(cpus_ids_64 "")
foreach(id RANGE 0 63)
    string(APPEND cpus_ids_64 " ${id}")
endforeach()
string(STRIP "${cpus_ids_64}" cpus_ids_64)
keel_smp_line(line 64 "${cpus_ids_64}")
keel_boot_test(cpus.smp.64 TIMEOUT 120
    ARGS --direct "${CMAKE_BINARY_DIR}/keel.elf" --machine q35 --smp 64 --expect "${ready}"
         --expect "${line}" --expect [[^smp: TSC synchronised across 64 CPUs$]]
         --reject PANIC --reject "^(warning: )?smp: .*(skipped|not started|cannot|did not)")
set_tests_properties(cpus.smp.64 PROPERTIES PROCESSORS ${keel_host_cores})

# cpus=2 on four CPUs: the boot CPU and one more; the other two named once.
keel_smp_line(line 2 "0 1")
keel_boot_test(cpus.option.2of4 TIMEOUT 60
    ARGS --direct "${CMAKE_BINARY_DIR}/keel.elf" --smp 4 --cmdline cpus=2 --expect "${ready}"
         --expect "${line}"
         --expect [[^smp: 2 CPUs not started \(APIC IDs 2 3\): cpus=2 on the command line$]]
         --expect [[^smp: TSC synchronised across 2 CPUs$]]
         --reject PANIC --reject "^warning: smp:" --reject "APIC ID [23] (skipped|not started)")

# cpus=1: no AP is started at all, and there is nothing to compare the TSC with.
keel_smp_line(line 1 "0")
keel_boot_test(cpus.option.1 TIMEOUT 60
    ARGS --direct "${CMAKE_BINARY_DIR}/keel.elf" --smp 2 --cmdline cpus=1 --expect "${ready}"
         --expect "${line}"
         --expect [[^smp: 1 CPU not started \(APIC ID 1\): cpus=1 on the command line$]]
         --reject PANIC --reject "^warning: smp:" --reject "TSC synchronised")

# Out of range: refused with the range in words, and every CPU starts.
keel_smp_line(line 2 "0 1")
keel_boot_test(cpus.option.invalid TIMEOUT 60
    ARGS --direct "${CMAKE_BINARY_DIR}/keel.elf" --smp 2 --cmdline "cpus=0 cpus=257"
         --expect "${ready}" --expect "${line}"
         --expect [[^warning: kernel command line: invalid value 'cpus=0' \(valid: 1 to 256\)$]]
         --expect [[^warning: kernel command line: invalid value 'cpus=257' \(valid: 1 to 256\)$]]
         --reject PANIC --reject "not started")

# 255 CPUs, the most QEMU gives without x2APIC (about 8 s here under TCG
# alone, measured): the online line names 64 and counts the rest, and the
# TSC check of each CPU wakes only that CPU (it woke all 255 for each,
# about 90 s). A host thread per vCPU (--thread-per-vcpu): one thread
# taking 255 vCPUs in turn, the runner's choice beyond the host's cores,
# took 200 s. Alone (RUN_SERIAL, first of its pass by its COST): beside
# other boots each of the TSC check's 8 000 hand-offs between two vCPU
# threads waits for the host's scheduler. Label slow: the quick loop
# leaves it out.
keel_smp_line(line 255 "${cpus_ids_64} \\.\\.\\. and 191 more")
keel_boot_test(cpus.smp.255 TIMEOUT 240 LABELS slow
    ARGS --direct "${CMAKE_BINARY_DIR}/keel.elf" --machine q35 --smp 255 --thread-per-vcpu --memory 1G
         --expect "${ready}" --expect "${line}"
         --expect [[^smp: TSC synchronised across 255 CPUs$]]
         --reject PANIC --reject "^(warning: )?smp: .*(skipped|not started|cannot|did not)")
set_tests_properties(cpus.smp.255 PROPERTIES RUN_SERIAL ON COST 100)

# The 10 ms between INIT and the startup IPI only where the processor needs
# it (src/arch/x86_64/cpu_signature.hpp): QEMU's qemu64 is AMD family 0xF
# and starts its APs without it; the same CPU reporting family 6 (a K7's,
# before the K8) gets the wait, and its APs start as well.
keel_smp_line(line 2 "0 1")
keel_boot_test(cpus.init_wait.none
    ARGS --direct "${CMAKE_BINARY_DIR}/keel.elf" --smp 2 --cmdline loglevel=debug
         --expect "${ready}" --expect "${line}" --reject PANIC
         --expect [[^debug: smp: no wait between INIT and startup IPI \(AuthenticAMD family 0xf\)$]])
keel_boot_test(cpus.init_wait.10ms
    ARGS --direct "${CMAKE_BINARY_DIR}/keel.elf" --smp 2 --cpu qemu64,family=6 --cmdline loglevel=debug
         --expect "${ready}" --expect "${line}" --reject PANIC
         --expect [[^debug: smp: 10 ms between INIT and startup IPI \(AuthenticAMD family 0x6\)$]])
