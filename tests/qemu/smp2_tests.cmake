# SMP, second part (docs/smp.md): the debug lock's held-too-long report,
# the per-CPU timers, the TSC check, calls to the boot CPU, the quick lock
# test that can fail. Included by tests/CMakeLists.txt, which defines
# keel_boot_test().

set(smp2_crash_fn "kernel::crash::\\(anonymous namespace\\)::")

# CPU 1 keeps a lock, the boot CPU waits for it: after 5 s one report names
# the lock, its holder and both sites (src/kernel/sync/lock_debug.hpp).
keel_boot_test(crash.lock-held LABELS crash TIMEOUT 120
    ARGS --direct "${CMAKE_BINARY_DIR}/keel.elf" --smp 2 --cmdline crash=lock-held
         --expect "^PANIC on CPU 0: lock 0x[0-9a-f]{16} held too long by CPU 1 at ${smp2_crash_fn}take_and_keep\\(void\\*\\)\\+0x[0-9a-f]+; CPU 0 waiting at ${smp2_crash_fn}wait_for_kept_lock\\(\\)\\+0x[0-9a-f]+$"
         --expect "^System halted\\.$"
         --expect-halt
         --reject "PANIC: "
         --reject "PANIC \\(nested\\)"
         --reject "crash: '[^']*' returned")

