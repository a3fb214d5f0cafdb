# Time (docs/time.md): the HPET, the ACPI PM timer and the PIT as references
# for the TSC, the monotonic clock against the HPET, and the CMOS date.
# Included by tests/CMakeLists.txt, which defines keel_boot_test().

set(time_ghz [[[0-9]+\.[0-9]{3} GHz]])

# QEMU's HPET on both machines: found through ACPI, decoded, and the TSC
# measured against it.
foreach(machine pc q35)
    keel_boot_test(time.hpet.${machine}
        ARGS --direct "${CMAKE_BINARY_DIR}/keel.elf" --machine ${machine} --reject PANIC
             --expect [[^hpet: 0xfed00000, 100\.000 MHz, 3 timers, 64-bit$]]
             --expect "^clock: TSC ${time_ghz} from the HPET \\([0-9]+ windows of 1 ms\\)$"
             --expect [[ready in [0-9]+ us]])
endforeach()

# Without an HPET the ACPI PM timer (QEMU's is 24-bit, in I/O space) is the
# reference, and the log says why.
keel_boot_test(time.no_hpet.pc
    ARGS --direct "${CMAKE_BINARY_DIR}/keel.elf" --machine pc,hpet=off --reject PANIC --reject [[^hpet: 0x]]
         --expect "^clock: TSC ${time_ghz} from the ACPI PM timer \\([0-9]+ windows of 1 ms; 24-bit at port 0x[0-9a-f]+; no HPET\\)$"
         --expect [[ready in [0-9]+ us]])
keel_boot_test(time.no_hpet.q35
    ARGS --direct "${CMAKE_BINARY_DIR}/keel.elf" --machine q35,hpet=off --reject PANIC --reject [[^hpet: 0x]]
         --expect "^clock: TSC ${time_ghz} from the ACPI PM timer .*no HPET\\)$"
         --expect [[ready in [0-9]+ us]])

# Without ACPI there is neither: PIT channel 2, and the date without the
# FADT's century register. Label timing: the PIT's windows are only as
# good as the vCPU thread's hold on a host core (three busy threads per
# core disturbed all 16, measured), so it runs in the pass that keeps
# tests to one per core.
keel_boot_test(time.no_acpi LABELS timing
    ARGS --direct "${CMAKE_BINARY_DIR}/keel.elf" --machine pc,acpi=off --reject PANIC --reject [[^hpet: 0x]]
         --expect "^clock: no ACPI PM timer \\(no ACPI\\)$"
         --expect "^clock: TSC ${time_ghz} from PIT channel 2 \\([0-9]+ windows, [0-9]+ disturbed\\)$"
         --expect [[^date: 20[0-9]{2}-[0-9]{2}-[0-9]{2} [0-9]{2}:[0-9]{2}:[0-9]{2} UTC \(century assumed]]
         --expect [[ready in [0-9]+ us]])

# The CMOS date as QEMU was told to set it (seconds may have moved on).
keel_boot_test(time.date
    ARGS --direct "${CMAKE_BINARY_DIR}/keel.elf" --qemu-arg=-rtc --qemu-arg=base=2031-05-06T07:08:09 --reject PANIC
         --expect [[^date: 2031-05-06 07:08:[0-9]{2} UTC$]])
keel_boot_test(time.date.q35
    ARGS --direct "${CMAKE_BINARY_DIR}/keel.elf" --machine q35 --qemu-arg=-rtc --qemu-arg=base=1999-12-31T23:59:30
         --reject PANIC --expect [[^date: 1999-12-31 23:59:[3-5][0-9] UTC$]])

# The in-kernel time tests: now_ns() advances and agrees with the HPET
# within 1% over 10 ms.
keel_boot_test(time.ktest TIMEOUT 60
    ARGS --direct "${CMAKE_BINARY_DIR}/keel.elf" --cmdline test=time_ --ktap --expect-exit 33
         --expect [[^ok [0-9]+ time_tsc_rate_matches_hpet$]]
         --expect [[^ok [0-9]+ time_now_ns_advances$]] --reject PANIC)

# Where `ready in` goes (bench/ready.py reads the same line): at debug level
# the boot logs each phase's share, every phase kernel_main runs on the way
# to the shell, in the order they run.
keel_boot_test(time.boot_phases
    ARGS --direct "${CMAKE_BINARY_DIR}/keel.elf" --cmdline loglevel=debug --reject PANIC
         --expect [[^debug: boot phases: trampoline [0-9]+ us, CPU tables [0-9]+ us, serial log [0-9]+ us, boot parameters [0-9]+ us, .*, paging [0-9]+ us, frame allocator [0-9]+ us, heap [0-9]+ us, ACPI [0-9]+ us, clock [0-9]+ us, interrupts [0-9]+ us, PCI [0-9]+ us, SMP [0-9]+ us, power [0-9]+ us, input [0-9]+ us$]]
         --expect [[ready in [0-9]+ us]])

# A machine whose PIT does not count: the calibration notices (no nonsense
# rate, no hang) and says the boot time is unknown. Without ACPI, since the
# HPET and the PM timer would otherwise stand in for the PIT.
keel_boot_test(boot.nopit
    ARGS --iso "${KEEL_ISO}" --machine pc,pit=off,acpi=off --reject PANIC
         --expect [[TSC rate unknown]] --expect [[ready \(boot time unknown]])

# A CPU that reports no TSC (CPUID.01H:EDX.TSC clear, so RDTSC would fault):
# said, not calibrated; the HPET's counter is the clock instead, so the tick,
# sleeps and timeouts still work (issue 14.8): the timer's in-kernel tests
# pass on it.
keel_boot_test(boot.notsc
    ARGS --iso "${KEEL_ISO}" --cpu qemu64,-tsc --reject PANIC --reject [[clock: TSC]]
         --expect [[^CPU tables: .*stack protector guard from the PIT's count]]
         --expect [[^warning: this CPU has no time-stamp counter \(CPUID\.01H:EDX\.TSC = 0\): the clock runs on the HPET's counter \(100\.000 MHz\); boot time not measured$]]
         --expect [[^timer: local APIC timer at [0-9]+ kHz \(calibrated against the HPET\), 100 Hz tick]]
         --expect [[^ready \(boot time unknown: no TSC; the clock runs on the HPET\)$]])
keel_boot_test(boot.notsc.ktest TIMEOUT 120
    ARGS --direct "${CMAKE_BINARY_DIR}/keel.elf" --cpu qemu64,-tsc
         --cmdline test=timer_ --ktap --expect-exit 33 --reject PANIC
         --expect [[^ok [0-9]+ timer_sleep_100ms_lasts_100ms$]]
         --expect [[^ok [0-9]+ timer_masked_tick_stops$]])

# The TSC rate with QEMU sharing a busy host core (issue 14): it
# boots once with PIT channel 2 (pc,acpi=off: several bracketed windows,
# disturbed ones dropped) and once with the HPET (pc). Alone: it loads a core.
add_test(NAME boot.tsc_under_load
    COMMAND "${Python3_EXECUTABLE}" "${CMAKE_CURRENT_SOURCE_DIR}/qemu/tsc_under_load.py"
            --iso "${KEEL_ISO}" --qemu "${KEEL_QEMU}" --boots 2)
# COST: first of its pass, so that nothing must drain before it runs alone.
set_tests_properties(boot.tsc_under_load PROPERTIES LABELS "qemu;timing" TIMEOUT 180 RUN_SERIAL ON
    COST 100)

# Two CPUs without a TSC: the start-up delays, the APs' ticks and now_ns()
# all run on the HPET's one counter (the SMP tests: ticks on each CPU, the
# clock monotonic across CPUs).
keel_boot_test(boot.notsc.smp2 TIMEOUT 120
    ARGS --direct "${CMAKE_BINARY_DIR}/keel.elf" --cpu qemu64,-tsc --smp 2
         --cmdline test=smp2_ --ktap --expect-exit 33 --reject PANIC
         --expect [[^smp: 2 CPUs online \(APIC IDs 0 1\) in [0-9]+ ms$]]
         --expect [[^smp: no TSC to compare: every CPU's clock reads the HPET's counter$]]
         --expect [[^ok [0-9]+ smp2_every_cpu_ticks$]]
         --expect [[^ok [0-9]+ smp2_now_ns_monotonic_across_cpus$]])
# Neither a TSC nor an HPET (the PM timer wraps too soon to stand in): no
# clock and no tick, said in words; waits count the PM timer
# (clockless_tests.cmake); the shell still answers (COM1 by its
# interrupt; interrupts.no_local_apic has the shell without any).
keel_boot_test(boot.notsc.nohpet
    ARGS --direct "${CMAKE_BINARY_DIR}/keel.elf" --cpu qemu64,-tsc --qemu-arg=-no-hpet --reject PANIC
         --expect [[^warning: this CPU has no time-stamp counter \(CPUID\.01H:EDX\.TSC = 0\), and no 64-bit HPET stands in: no clock, boot time not measured$]]
         --expect [[^warning: timer: no tick \(the TSC rate is unknown\): no clock either, so sleeps and timeouts count the ACPI PM timer's ticks$]]
         --expect [[^ready \(boot time unknown: no TSC rate\)$]]
         --type [[^keel> ]] [[echo answered\r]]
         --expect [[^keel> echo answered\nanswered$]])
