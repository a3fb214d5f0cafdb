# Gaps an audit of issues 11 (shell) and 12 (SMP) found: the shell's `test`
# runs every quick in-kernel test and passes; the debug lock names the
# functions that hold a guard, not the guard. Included by
# tests/CMakeLists.txt, which defines keel_boot_test(); shell_prompt comes
# from tests/qemu/shell_tests.cmake.

# `test` typed at the shell with no prefix: every in-kernel test but the
# slow ones (smpslow_, only by name), on two CPUs, with none failing; and
# typed again, none failing either (the lock-order and heap tests once
# counted on a first run's fresh table and high-water mark).
keel_boot_test(smpfix.shell.test TIMEOUT 180
    ARGS --direct "${CMAKE_BINARY_DIR}/keel.elf" --smp 2 --reject PANIC
         --reject [[smpslow_]] --reject [[^test: [0-9]+ passed, [1-9][0-9]* failed$]]
         --type "${shell_prompt}" [[test\r]]
         --type [[^test: [0-9]+ passed]] [[test\r]]
         --type [[^test: [0-9]+ passed]] [[echo ran twice\r]]
         --expect [[^ran twice$]]
         --expect [[^ok [0-9]+ boot_params_name_the_loader$]]
         --expect [[^ok [0-9]+ smp_locked_increments_exact$]]
         --expect [[^ok [0-9]+ smp2_calls_cross_without_deadlock$]]
         --expect [[^# [1-9][0-9]* passed, 0 failed$]]
         --expect [[^test: [1-9][0-9]* passed, 0 failed$]])

# crash=lock-held through the guards (src/kernel/crash/crash.cpp): the
# report names keep_through_guard and wait_through_guard, never
# SpinlockGuard; tools/test also runs it in the Debug (-O0) build, where
# only [[gnu::always_inline]] keeps the guards' constructors out of it.
set(smpfix_crash_fn "kernel::crash::\\(anonymous namespace\\)::")
keel_boot_test(crash.lock-held-guard LABELS crash TIMEOUT 120
    ARGS --direct "${CMAKE_BINARY_DIR}/keel.elf" --smp 2 --cmdline crash=lock-held-guard
         --expect "^PANIC on CPU 0: lock 0x[0-9a-f]{16} held too long by CPU 1 at ${smpfix_crash_fn}keep_through_guard\\(void\\*\\)\\+0x[0-9a-f]+; CPU 0 waiting at ${smpfix_crash_fn}wait_through_guard\\(\\)\\+0x[0-9a-f]+$"
         --expect "^System halted\\.$"
         --expect-halt
         --reject "Guard"
         --reject "PANIC: "
         --reject "PANIC \\(nested\\)"
         --reject "crash: '[^']*' returned")

# More CPUs than Keel once ran on (8): all ten come online, none left off
# (arch::kMaxCpus is 256 now; tests/qemu/cpus_tests.cmake boots more).
keel_boot_test(smpfix.smp.10 TIMEOUT 120
    ARGS --direct "${CMAKE_BINARY_DIR}/keel.elf" --smp 10 --expect "${ready}" --reject PANIC
         --expect [[^smp: 10 CPUs online \(APIC IDs 0 1 2 3 4 5 6 7 8 9\) in [0-9]+ ms$]]
         --reject "not started")
