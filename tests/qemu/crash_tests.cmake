# Crash tests (src/kernel/crash): `crash=<name>` on the kernel command line
# provokes one fault after boot. Each test boots a variant ISO with it and
# checks that the kernel caught the fault: a PANIC line naming it, then a
# halted CPU that is still halted a second later (no reset, no reboot loop:
# -no-reboot would turn a triple fault into an exit, which fails the test).
# Included by tests/CMakeLists.txt, which defines keel_boot_test().
#
# keel_crash_test(<name> <regex>...): every regex must appear on COM1.
function(keel_crash_test name)
    set(expects)
    foreach(regex IN LISTS ARGN)
        list(APPEND expects --expect "${regex}")
    endforeach()
    keel_boot_test(crash.${name} LABELS crash
        ARGS --kernel "${KEEL_KERNEL_ELF}" --cmdline "crash=${name}"
             ${expects} --expect-halt
             --reject "crash: '[^']*' returned" --reject "unknown crash test"
             --reject "ready in [0-9]+ us")
endfunction()

set(pf [[PANIC: Page Fault at 0x[0-9a-f]+]])
keel_crash_test(null-deref [[PANIC: Page Fault at 0x0+ \(not-present read]])
keel_crash_test(write-rodata "${pf} \\(protection-violation write" "write_rodata")
keel_crash_test(write-text "${pf} \\(protection-violation write" "write_text")
keel_crash_test(exec-data "${pf} \\(protection-violation instruction fetch")
keel_crash_test(exec-stack "${pf} \\(protection-violation instruction fetch")
keel_crash_test(stack-overflow [[PANIC: Double Fault: kernel stack overflow]])
keel_crash_test(divide-by-zero [[PANIC: Divide Error \(#DE]] "divide_by_zero")
keel_crash_test(invalid-opcode [[PANIC: Invalid Opcode \(#UD]] "invalid_opcode")
keel_crash_test(general-protection [[PANIC: General Protection \(#GP]] "general_protection")
keel_crash_test(stack-smash [[PANIC: stack smashing detected]])
keel_crash_test(ubsan [[PANIC: UBSan: signed integer overflow]])
keel_crash_test(panic [[PANIC: crash test: an explicit kernel::panic\(\)]])
