# Bounded waits without a clock rate (docs/time.md, "Bounded waits"):
# arch::Timeout counts the best counter there is. Included from
# tests/CMakeLists.txt after shell_tests.cmake (shell_prompt).

# No TSC and no HPET: no clock, but the ACPI PM timer bounds every wait.
# The second CPU starts on it (INIT-SIPI-SIPI's delays, the bounds of its
# start), the in-kernel tests time arch::Timeout by it, and the shell's
# poweroff goes through ACPI (its waits for ACPI mode and the soft-off too).
keel_boot_test(clockless.pm_timer.smp2_poweroff TIMEOUT 120
    ARGS --direct "${CMAKE_BINARY_DIR}/keel.elf" --cpu qemu64,-tsc --qemu-arg=-no-hpet --smp 2
         --no-debug-exit --allow-reboot --expect-exit 0 --reject PANIC
         --reject [[still on 5 s after]]
         --expect [[^clock: waits count the ACPI PM timer \(24-bit at port 0x608\)$]]
         --expect [[^warning: timer: no tick \(the TSC rate is unknown\): no clock either, so sleeps and timeouts count the ACPI PM timer's ticks$]]
         --expect [[^smp: 2 CPUs online \(APIC IDs 0 1\) in [0-9]+ ms$]]
         --expect [[^smp: no TSC to compare, and no clock$]]
         --type "${shell_prompt}" [[test timeout_\r]]
         --expect [[^ok [0-9]+ timeout_lasts_at_least_what_it_was_given$]]
         --expect [[^timeout: 30000 us on the reference counter took [0-9]+ us of ACPI PM timer time$]]
         --type "${shell_prompt}" [[poweroff\r]]
         --exit-within 10 [[^keel> poweroff$]]
         --expect [[^power: powering off \(]])

# No TSC, no ACPI (so no HPET and no PM timer): each check of a wait is one
# ~1 us port write, counted; waits still end, and the shell answers.
keel_boot_test(clockless.steps TIMEOUT 120
    ARGS --direct "${CMAKE_BINARY_DIR}/keel.elf" --cpu qemu64,-tsc --machine pc,acpi=off
         --reject PANIC
         --expect [[^warning: timer: no tick \(the TSC rate is unknown\): no clock either, so a sleep is a count of port writes \(about 1 us each on real hardware\)$]]
         --type "${shell_prompt}" [[test timeout_\r]]
         --expect [[^timeout: 30000 us counted in [0-9]+ port-write steps$]]
         --expect [[^ok [0-9]+ timeout_lasts_at_least_what_it_was_given$]]
         --expect [[^ok [0-9]+ timeout_is_not_over_at_once$]])

# A TSC whose rate nobody measured (no ACPI timers, PIT off, no CPUID rate):
# waits take it at the fastest plausible rate, longer than asked, never
# shorter.
keel_boot_test(clockless.tsc_rate_unknown TIMEOUT 120
    ARGS --direct "${CMAKE_BINARY_DIR}/keel.elf" --machine pc,pit=off,acpi=off --reject PANIC
         --expect [[^warning: timer: no tick \(the TSC rate is unknown\): no clock either, so sleeps and timeouts take the TSC at 20 GHz, the fastest plausible: they run long, never short$]]
         --type "${shell_prompt}" [[test timeout_\r]]
         --expect [[^ok [0-9]+ timeout_is_not_over_at_once$]])
