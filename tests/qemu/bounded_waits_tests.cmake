# The last waits bounded in time, and the watchdog's report of a CPU that
# cannot answer its NMI (docs/time.md "Bounded waits", docs/interrupts.md
# "Watchdog"). Included by tests/CMakeLists.txt after watchdog_tests.cmake.

# CPU 1 reset by an INIT (crash=init-ap) while it still counts as online:
# in wait-for-SIPI it takes neither its tick nor an NMI, so CPU 0's tick
# finds it quiet, its NMI is never answered, and CPU 0 reports it: which
# CPU, since when, and that it did not answer.
keel_boot_test(crash.init-ap LABELS crash TIMEOUT 90
    ARGS --direct "${CMAKE_BINARY_DIR}/keel.elf" --smp 2 --cmdline "crash=init-ap watchdog=2"
         --expect "^PANIC on CPU 0: watchdog: CPU 1 \\(APIC ID 1\\) has taken no tick for [4-5] s \\(since [0-9]+\\.[0-9] s after boot\\) and did not answer the watchdog's NMI within 2 s: it cannot take NMIs \\(reset by an INIT, shut down, or stuck in an NMI handler\\)$"
         --expect "^System halted\\.$"
         --expect-halt
         --reject "PANIC on CPU 1"
         --reject "crash: '[^']*' returned"
         --reject "PANIC \\(nested\\)")

# The IPI delivery-status wait (src/arch/x86_64/apic/ipi_ktest.cpp) without
# a clock rate: on the ACPI PM timer it lasts its 100 ms of that timer's
# time; with no counter at all it is 100,000 polls of ~1 us steps.
keel_boot_test(waits2.clockless.pm_timer.ipi TIMEOUT 90
    ARGS --direct "${CMAKE_BINARY_DIR}/keel.elf" --cpu qemu64,-tsc --qemu-arg=-no-hpet
         --cmdline test=ipi_ --ktap --expect-exit 33 --reject PANIC
         --expect [[^ipi: gave up after [0-9]+ us of ACPI PM timer time \([0-9]+ polls\)$]]
         --expect [[^ok [0-9]+ ipi_send_wait_gives_up_after_its_bound$]])
keel_boot_test(waits2.clockless.steps.ipi TIMEOUT 90
    ARGS --direct "${CMAKE_BINARY_DIR}/keel.elf" --cpu qemu64,-tsc --machine pc,acpi=off
         --cmdline test=ipi_ --ktap --expect-exit 33 --reject PANIC
         --expect [[^ipi: gave up after [0-9]+ polls \(100000 us in steps\)$]]
         --expect [[^ok [0-9]+ ipi_send_wait_gives_up_after_its_bound$]])

# The debug lock's held-too-long bound without a clock rate: CPU 1 keeps a
# lock, the boot CPU waits for it, and 5 s of the PM timer later (not a
# count of spins) reports it (src/kernel/sync/lock_wait.hpp).
keel_boot_test(waits2.clockless.pm_timer.lock_held LABELS crash TIMEOUT 120
    ARGS --direct "${CMAKE_BINARY_DIR}/keel.elf" --cpu qemu64,-tsc --qemu-arg=-no-hpet --smp 2
         --cmdline crash=lock-held
         --expect [[^clock: waits count the ACPI PM timer \(24-bit at port 0x608\)$]]
         --expect "^PANIC on CPU 0: lock 0x[0-9a-f]{16} held too long by CPU 1 at ${KEEL_CRASH_SCOPE}take_and_keep\\(void\\*\\)\\+0x[0-9a-f]+; CPU 0 waiting at ${KEEL_CRASH_SCOPE}wait_for_kept_lock\\(\\)\\+0x[0-9a-f]+$"
         --expect "^System halted\\.$"
         --expect-halt
         --reject "PANIC \\(nested\\)"
         --reject "crash: '[^']*' returned")

# Caps lock without a clock rate: the keyboard's LED exchange (its deadline
# an arch::Timeout, src/drivers/ps2/led_exchange.hpp) runs on the PM timer,
# or with no counter at all on counted steps. QEMU's keyboard answers every
# byte at once, so no deadline is reached here (tests/host/ps2_leds_test.cpp
# proves the deadlines, with and without a clock): these show that the
# exchange goes through, nothing is abandoned, and the keys after each
# change come through with the locks as they are.
qmp_keys(w2_caps caps_lock)
qmp_keys(w2_b b)
set(w2_leds_args
    --cmdline "input=echo loglevel=debug" --send-after [[^input: echo on$]]
    --send "${w2_caps}" --send "${w2_b}" --send "${w2_caps}" --send "${w2_b}"
    --expect [[^key: press CapsLock caps$]] --expect [[^key: press 'B' caps$]]
    --expect [[^key: press CapsLock$]] --expect [[^key: press 'b'$]]
    --reject [[ps/2: keyboard LED update abandoned]] --reject PANIC)
keel_boot_test(waits2.clockless.pm_timer.leds TIMEOUT 90
    ARGS --direct "${CMAKE_BINARY_DIR}/keel.elf" --cpu qemu64,-tsc --qemu-arg=-no-hpet
         ${w2_leds_args})
keel_boot_test(waits2.clockless.steps.leds TIMEOUT 90
    ARGS --direct "${CMAKE_BINARY_DIR}/keel.elf" --cpu qemu64,-tsc --machine pc,acpi=off
         ${w2_leds_args})
