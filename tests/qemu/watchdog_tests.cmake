# The hard-lockup watchdog (docs/interrupts.md, "Watchdog"): a CPU that spins
# with interrupts off is reported, with its interrupted code's backtrace.
# Included by tests/CMakeLists.txt, which defines keel_boot_test().
#
# q35: its HPET's timers can drive I/O APIC inputs 16-23, so a timer beyond
# 0 becomes the boot CPU's NMI source; QEMU `pc`'s can drive only input 2
# (the PIT's), which is no source (the boot line says so).
set(wd_crash_fn "${KEEL_CRASH_SCOPE}")
set(wd_frame "^  #[0-9]+ +0x[0-9a-f]{16}  ${KEEL_CRASH_SCOPE}")

# One CPU, stuck: only the HPET's NMI reaches it.
keel_boot_test(crash.hang LABELS crash TIMEOUT 90
    ARGS --direct "${CMAKE_BINARY_DIR}/keel.elf" --machine q35 --cmdline "crash=hang watchdog=2"
         --expect "^watchdog: 2 s; the one CPU is watched by an HPET NMI every 1 s$"
         --expect "^PANIC: watchdog: CPU 0 stuck with interrupts off for 2 s at 0xffffffff8[0-9a-f]{7} ${wd_crash_fn}spin_with_interrupts_off\\(\\)${KEEL_CLONES}\\+0x[0-9a-f]+ \\(found by an HPET NMI\\)$"
         --expect "${wd_frame}spin_with_interrupts_off\\(\\)${KEEL_CLONES}\\+0x[0-9a-f]+"
         --expect "${wd_frame}hang\\(\\)${KEEL_CLONES}\\+0x[0-9a-f]+"
         --expect "^System halted\\.$"
         --expect-halt
         --reject "crash: '[^']*' returned"
         --reject "PANIC \\(nested\\)")

# CPU 1 stuck: CPU 0's tick finds it, its NMI makes CPU 1 report itself.
# QEMU pc: no NMI source, the ticks alone do it.
keel_boot_test(crash.hang-ap LABELS crash TIMEOUT 90
    ARGS --direct "${CMAKE_BINARY_DIR}/keel.elf" --smp 2 --cmdline "crash=hang-ap watchdog=2"
         --expect "^watchdog: 2 s; CPUs watch each other by their ticks; no NMI source \\(.+\\): if every CPU is stuck with interrupts off at once, none is reported$"
         --expect "^PANIC on CPU 1: watchdog: CPU 1 stuck with interrupts off for 2 s at 0xffffffff8[0-9a-f]{7} ${wd_crash_fn}spin_with_interrupts_off\\(\\)${KEEL_CLONES}\\+0x[0-9a-f]+ \\(found by CPU 0's tick\\)$"
         --expect "${wd_frame}hang_on_this_cpu\\(void\\*\\)${KEEL_CLONES}\\+0x[0-9a-f]+"
         --expect "^System halted\\.$"
         --expect-halt
         --reject "crash: '[^']*' returned"
         --reject "PANIC \\(nested\\)")

# The boot CPU stuck beside a second CPU (QEMU pc: no NMI source): CPU 1's
# tick finds it.
keel_boot_test(crash.hang.smp2 LABELS crash TIMEOUT 90
    ARGS --direct "${CMAKE_BINARY_DIR}/keel.elf" --smp 2 --cmdline "crash=hang watchdog=2"
         --expect "^PANIC on CPU 0: watchdog: CPU 0 stuck with interrupts off for 2 s at 0xffffffff8[0-9a-f]{7} ${wd_crash_fn}spin_with_interrupts_off\\(\\)${KEEL_CLONES}\\+0x[0-9a-f]+ \\(found by CPU 1's tick\\)$"
         --expect "${wd_frame}hang\\(\\)${KEEL_CLONES}\\+0x[0-9a-f]+"
         --expect "^System halted\\.$"
         --expect-halt
         --reject "crash: '[^']*' returned"
         --reject "PANIC \\(nested\\)")

# The default: 10 s. One CPU: the HPET's NMI, its line in the log. Two:
# the ticks alone, the NMI kept off (its I/O APIC input may be a PCI
# device's too on a real board; docs/interrupts.md, "Watchdog").
keel_boot_test(watchdog.default TIMEOUT 90
    ARGS --direct "${CMAKE_BINARY_DIR}/keel.elf" --machine q35
         --expect "^irq: GSI (1[6-9]|2[0-3]) as NMI to APIC ID 0 \\(edge, high\\) for \"watchdog NMI \\(hpet\\)\"$"
         --expect "^watchdog: 10 s; the one CPU is watched by an HPET NMI every 1 s$"
         --expect "ready in [0-9]+ us"
         --reject PANIC)
keel_boot_test(watchdog.default.smp2 TIMEOUT 90
    ARGS --direct "${CMAKE_BINARY_DIR}/keel.elf" --machine q35 --smp 2
         --expect "^watchdog: 10 s; CPUs watch each other by their ticks; no NMI source \\(the HPET's, where it can raise one, is kept for one CPU: its input may be a PCI device's too\\): if every CPU is stuck with interrupts off at once, none is reported$"
         --expect "ready in [0-9]+ us"
         --reject "as NMI to APIC ID" --reject PANIC)
# Several CPUs and no HPET: the reason says so, not that an HPET's NMI is
# kept (found by a QEMU configuration sweep).
keel_boot_test(watchdog.no_hpet.smp2 TIMEOUT 90
    ARGS --direct "${CMAKE_BINARY_DIR}/keel.elf" --machine q35,hpet=off --smp 2
         --expect "^watchdog: 10 s; CPUs watch each other by their ticks; no NMI source \\(no HPET\\): if every CPU is stuck with interrupts off at once, none is reported$"
         --expect "ready in [0-9]+ us"
         --reject PANIC)

# No NMI source and one CPU: said in words, not left to be found out.
keel_boot_test(watchdog.no-nmi-source TIMEOUT 90
    ARGS --direct "${CMAKE_BINARY_DIR}/keel.elf" --qemu-arg=-no-hpet
         --expect "^watchdog: one CPU and no NMI source \\(no HPET\\): a CPU stuck with interrupts off cannot be detected$"
         --expect "ready in [0-9]+ us"
         --reject PANIC)

# watchdog=off, and a threshold outside 1..60 refused by name.
keel_boot_test(watchdog.off TIMEOUT 90
    ARGS --direct "${CMAKE_BINARY_DIR}/keel.elf" --cmdline "watchdog=off"
         --expect "^watchdog: off \\(watchdog=off\\): a CPU stuck with interrupts off hangs$"
         --expect "ready in [0-9]+ us" --reject PANIC)
keel_boot_test(watchdog.bad-value TIMEOUT 90
    ARGS --direct "${CMAKE_BINARY_DIR}/keel.elf" --machine q35 --cmdline "watchdog=61"
         --expect "^warning: kernel command line: invalid value 'watchdog=61' \\(valid: off, 1 to 60 \\(seconds\\)\\)$"
         --expect "^watchdog: 10 s; the one CPU is watched by an HPET NMI every 1 s$"
         --expect "ready in [0-9]+ us" --reject PANIC)
