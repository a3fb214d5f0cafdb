# TLB shootdown and the panic that stops every CPU (docs/smp.md).
# Included by tests/CMakeLists.txt, which defines keel_boot_test().

# A page CPU 1 has in its TLB faults there after the boot CPU unmapped it
# (or made it read-only): src/arch/x86_64/smp/shootdown_ktest.cpp.
keel_boot_test(smp.ktest.shootdown TIMEOUT 300
    ARGS --direct "${CMAKE_BINARY_DIR}/keel.elf" --smp 2 --cmdline test=shootdown_ --ktap --expect-exit 33
         --reject PANIC --reject [[^# shootdown: one CPU online]]
         --expect [[^ok [0-9]+ shootdown_unmapped_page_faults_on_the_other_cpu$]]
         --expect [[^ok [0-9]+ shootdown_read_only_page_faults_on_write_on_the_other_cpu$]])

# A panic on CPU 1 (by a cross-CPU call, while the boot CPU waits with
# interrupts off): one report naming CPU 1, its backtrace, every CPU halted.
keel_boot_test(crash.ap-panic LABELS crash
    ARGS --direct "${CMAKE_BINARY_DIR}/keel.elf" --smp 4 --cmdline crash=ap-panic
         --expect "^PANIC on CPU 1: crash test: a panic on CPU 1$"
         --expect "^  #[0-9]+ +0x[0-9a-f]{16}  ${KEEL_CRASH_SCOPE}panic_on_this_cpu\\([^)]*\\)${KEEL_CLONES}\\+0x[0-9a-f]+"
         --expect "^System halted\\.$"
         --expect-halt
         --reject "PANIC: "
         --reject "PANIC \\(nested\\)"
         --reject "crash: '[^']*' returned")
