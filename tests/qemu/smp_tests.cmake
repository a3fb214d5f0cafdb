# SMP tests (docs/smp.md): every CPU QEMU gives comes online, each named by
# its APIC ID in the boot log; CPUs the MADT lists as not enabled (QEMU's
# -smp N,maxcpus=M hot-plug slots) stay off; the in-kernel SMP tests (exact
# counts under a lock and from the allocators, cross-CPU call round trips)
# pass with several CPUs. Included by tests/CMakeLists.txt, which defines
# keel_boot_test().

# smp: <n> CPUs online (APIC IDs <ids>) in <N> ms
function(keel_smp_line out count ids)
    if(count EQUAL 1)
        set(${out} "^smp: 1 CPU online \\(APIC ID ${ids}\\) in [0-9]+ ms$" PARENT_SCOPE)
    else()
        set(${out} "^smp: ${count} CPUs online \\(APIC IDs ${ids}\\) in [0-9]+ ms$" PARENT_SCOPE)
    endif()
endfunction()

set(keel_smp_ids_1 "0")
set(keel_smp_ids_2 "0 1")
set(keel_smp_ids_4 "0 1 2 3")
set(keel_smp_ids_8 "0 1 2 3 4 5 6 7")

# pc, SeaBIOS: 1, 2, 4 and 8 CPUs.
foreach(count IN ITEMS 1 2 4 8)
    keel_smp_line(line ${count} "${keel_smp_ids_${count}}")
    keel_boot_test(smp.bios.pc.${count} TIMEOUT 60
        ARGS --direct "${CMAKE_BINARY_DIR}/keel.elf" --smp ${count} --expect "${ready}" --expect "${line}"
             --reject PANIC --reject "^smp: .*(skipped|not started|cannot)")
endforeach()

# Two CPUs present of four possible: the MADT lists four, two disabled.
keel_smp_line(line 2 "0 1")
keel_boot_test(smp.bios.pc.2of4 TIMEOUT 60
    ARGS --direct "${CMAKE_BINARY_DIR}/keel.elf" --smp 2,maxcpus=4 --expect "${ready}" --expect "${line}"
         --reject PANIC --reject "^smp: .*(skipped|not started|cannot)")

# The other machine and the other firmware, one count each.
keel_smp_line(line 4 "0 1 2 3")
keel_boot_test(smp.bios.q35.4 TIMEOUT 60
    ARGS --direct "${CMAKE_BINARY_DIR}/keel.elf" --machine q35 --smp 4 --expect "${ready}" --expect "${line}"
         --reject PANIC --reject "^smp: .*(skipped|not started|cannot)")
# OVMF on q35 with 2 CPUs: power.button.uefi.q35 (power_tests.cmake).

# An AP that has reached the kernel may hold a lock, so the boot CPU never
# resets it (docs/smp.md, "Start sequence", step 5). fault=ap-slow-start: the AP
# holds the log's lock for 3 s in its setup, longer than the 2 s it has to
# reach the kernel; a reset then would leave the lock held and the boot
# stuck (KEEL_DEBUG_LOCKS: a lock-held panic). Both CPUs come online.
keel_smp_line(line 2 "0 1")
keel_boot_test(smp.fault.ap_slow_start TIMEOUT 60
    ARGS --direct "${CMAKE_BINARY_DIR}/keel.elf" --smp 2 --cmdline fault=ap-slow-start
         --expect "${ready}" --expect "${line}"
         --reject PANIC --reject "^smp: .*(skipped|not started|cannot)")
# fault=ap-stuck-start: the first AP stalls 8 s, past the 5 s it has to
# finish its setup. It is left running and no other CPU starts (online
# CPUs are numbered densely); when it finishes it halts instead of coming
# online, and the boot goes on with one CPU.
# fault=ap-late-entry: the first AP waits 3 s before it enters the kernel,
# past the 2 s it has; the boot CPU resets it with INIT (it has touched
# nothing) and gives its index to the next CPU, which comes online as CPU 1.
keel_smp_line(line 2 "0 2")
keel_boot_test(smp.fault.ap_late_entry TIMEOUT 60
    ARGS --direct "${CMAKE_BINARY_DIR}/keel.elf" --smp 3 --cmdline fault=ap-late-entry
         --expect "^warning: smp: CPU with APIC ID 1 skipped: it did not reach the kernel in time$"
         --expect "${line}" --expect "${ready}" --reject PANIC --reject "APIC ID 2 skipped")
# The PAT checked on every CPU (issue 8): an AP whose PAT does not take the
# boot CPU's layout is named; it still comes online.
keel_boot_test(smp.fault.ap_other_pat TIMEOUT 60
    ARGS --direct "${CMAKE_BINARY_DIR}/keel.elf" --smp 2 --cmdline fault=ap-other-pat
         --expect "^warning: smp: CPU 1 PAT reads back 0x[0-9a-f]+, not the boot CPU's 0x[0-9a-f]+: its write-combining mappings get another memory type$"
         --expect "^smp: 2 CPUs online \\(APIC IDs 0 1\\)" --expect "${ready}" --reject PANIC)
keel_smp_line(line 1 "0")
keel_boot_test(smp.fault.ap_stuck_start TIMEOUT 60
    ARGS --direct "${CMAKE_BINARY_DIR}/keel.elf" --smp 3 --cmdline fault=ap-stuck-start
         --expect "^warning: smp: CPU with APIC ID 1 skipped: it reached the kernel but did not finish its setup in time \\(5 s\\); it is left running, not reset \\(it may hold a lock\\), and no further CPUs are started$"
         --expect "${line}" --expect "${ready}"
         --expect "^warning: smp: CPU 1 finished its setup after the boot CPU gave up on it: halted$"
         --reject PANIC --reject "APIC ID 2")

# The low zone (docs/memory.md): SeaBIOS calls 0-0x9fbff available; Keel
# keeps page 0 and everything from 512 KiB, so 4 KiB-512 KiB is free.
# Through GRUB: under PVH the start information takes one more page.
keel_boot_test(smp.bios.low_zone
    ARGS --iso "${KEEL_ISO}" --expect "${ready}" --reject PANIC
         --expect [[^frames: [0-9]+ MiB free \(508 KiB below 1 MiB, [0-9]+ MiB below 4 GiB\)$]])

# The in-kernel SMP tests on 4 CPUs (src/kernel/smp/smp_ktest.cpp).
keel_boot_test(smp.ktest.4 TIMEOUT 300 LABELS slow
    ARGS --direct "${CMAKE_BINARY_DIR}/keel.elf" --smp 4 --cmdline test=smp_ --ktap --expect-exit 33
         --reject PANIC
         --expect [[^smp test: 20000 locked increments on 4 CPUs$]]
         --expect [[^ok [0-9]+ smp_locked_increments_exact$]]
         --expect [[^ok [0-9]+ smp_each_cpu_finds_its_block$]]
         --expect [[^ok [0-9]+ smp_call_round_trips$]]
         --expect [[^ok [0-9]+ smp_call_with_runs_on_the_pair_only$]]
         --expect [[^ok [0-9]+ smp_allocators_exact_under_load$]])

# 4 x 10^6 locked increments: under TCG each lock hand-off between vCPUs
# waits for a host thread (about 10^4 a second on a loaded two-core host,
# measured), so this runs for minutes: label "slow" (ctest -L slow).
keel_boot_test(smp.ktest.locked_4m TIMEOUT 900 LABELS slow
    ARGS --kernel "${KEEL_KERNEL_ELF}" --smp 2 --cmdline test=smpslow_ --ktap --expect-exit 33
         --reject PANIC
         --expect [[^smp test: 4000000 locked increments on 2 CPUs$]]
         --expect [[^ok [0-9]+ smpslow_locked_increments_4m$]])
