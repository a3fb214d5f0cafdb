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
