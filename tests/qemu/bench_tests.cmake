# bench=irq (bench/README.md, src/init/bench.cpp) and the tick measured
# against the HPET (src/drivers/hpet/tick_ktest.cpp). Included by
# tests/CMakeLists.txt, which defines keel_boot_test(). No timing is
# asserted by the benchmark's tests: only that each line appears with
# numbers that are not zero (a shared host makes timings flaky).

set(bench_ns [[[1-9][0-9]*]])
set(bench_ipi "^bench: irq round trip, self-IPI to handler entry: min ${bench_ns} ns, median ${bench_ns} ns \\(101 runs\\)$")
set(bench_int "^bench: irq round trip, int instruction \\(baseline\\) to handler entry: min ${bench_ns} ns, median ${bench_ns} ns \\(101 runs\\)$")
set(bench_ratio [[^bench: irq round trip, self-IPI/int: min [0-9]+\.[0-9][0-9]x, median [0-9]+\.[0-9][0-9]x$]])
set(bench_sleep_error [[error [-+][0-9]+ us \([-+][0-9]+\.[0-9]%\) \([0-9]+ runs\)$]])

# The whole report on both machine types, the sleeps timed by the HPET;
# the boot goes on to ready afterwards.
foreach(machine IN ITEMS pc q35)
    keel_boot_test(bench.irq.${machine} TIMEOUT 90 LABELS bench
        ARGS --direct "${CMAKE_BINARY_DIR}/keel.elf" --machine ${machine} --cmdline bench=irq
             --reject PANIC --reject [[^warning: bench]]
             --expect "${bench_ipi}" --expect "${bench_int}" --expect "${bench_ratio}"
             --expect "^bench: sleep_us\\(1000\\) against the HPET: median ${bench_ns} us, min ${bench_ns} us, ${bench_sleep_error}"
             --expect "^bench: sleep_us\\(100000\\) against the HPET: median ${bench_ns} us, min ${bench_ns} us, ${bench_sleep_error}"
             --expect [[^bench: done \(100 Hz tick\)$]] --expect [[ready in [0-9]+ us]])
endforeach()

# No ACPI: no I/O APIC to give the benchmark a line, no HPET. It says so in
# words, times the sleeps against the TSC and the boot goes on.
keel_boot_test(bench.irq.no_acpi TIMEOUT 90 LABELS bench
    ARGS --direct "${CMAKE_BINARY_DIR}/keel.elf" --machine pc,acpi=off --cmdline bench=irq
         --reject PANIC
         --expect [[^warning: bench: irq round trip not measured: no line for it \(.+\)$]]
         --expect "^bench: sleep_us\\(100000\\) against the TSC: median ${bench_ns} us"
         --expect [[^bench: done \(100 Hz tick\)$]] --expect [[ready in [0-9]+ us]])

# A bad value is refused in words and nothing is measured.
keel_boot_test(bench.bad_value TIMEOUT 60
    ARGS --direct "${CMAKE_BINARY_DIR}/keel.elf" --cmdline bench=disk
         --reject PANIC --reject [[^bench:]]
         --expect [[invalid value.*bench=disk]] --expect [[ready in [0-9]+ us]])

# The issue's tick test: 100 +/- 10 ticks in one second of HPET time, on
# both machine types; without an HPET it is skipped with a message.
foreach(machine IN ITEMS pc q35)
    keel_boot_test(interrupts.ktest.tick_hpet.${machine} TIMEOUT 90
        ARGS --direct "${CMAKE_BINARY_DIR}/keel.elf" --machine ${machine}
             --cmdline test=timer_tick_rate_against_the_hpet --ktap --expect-exit 33
             --reject PANIC
             --expect-range [[^timer: ([0-9]+) ticks in 1 s of HPET time]] 90 110
             --expect [[^ok 1 timer_tick_rate_against_the_hpet$]])
endforeach()
keel_boot_test(interrupts.ktest.tick_hpet.no_hpet TIMEOUT 90
    ARGS --kernel "${KEEL_KERNEL_ELF}" --machine pc,hpet=off
         --cmdline test=timer_tick_rate_against_the_hpet --ktap --expect-exit 33
         --reject PANIC --reject [[ticks in 1 s of HPET time]]
         --expect [[^# timer: no HPET: the tick is not measured against it \(skipped\)$]])

# bench/ready.py keeps working (issue 10's measurement): both clocks, the
# phases, and the translation section with a plausible count of the
# kernel's blocks (thousands). No time is asserted.
add_test(NAME bench.ready
    COMMAND "${Python3_EXECUTABLE}" "${PROJECT_SOURCE_DIR}/bench/ready.py"
            --elf "${CMAKE_BINARY_DIR}/keel.elf" --runs 1 --probe-runs 1)
set_tests_properties(bench.ready PROPERTIES LABELS "qemu;bench" TIMEOUT 180
    PASS_REGULAR_EXPRESSION "translation: [1-9][0-9][0-9][0-9]+ distinct blocks of kernel code before ready; this host translates one in -?[0-9]+\\.[0-9] us")
