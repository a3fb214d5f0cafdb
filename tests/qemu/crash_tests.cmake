# Crash tests (src/kernel/crash, docs/crash.md): `crash=<name>` on the kernel
# command line provokes one fault after boot. Each keel_crash_test boots
# keel.elf directly (QEMU -kernel, PVH: the subject is the kernel, not the
# loader; crash.null-deref.no-map keeps GRUB and a variant ISO) and checks
# that the kernel caught the fault:
#   - a PANIC line naming the fault (and the faulting address, if any);
#   - a symbolized backtrace frame in the crash test's own function
#     (`#N 0x... kernel::crash::(anonymous namespace)::null_deref()+0x...`:
#     names are demangled by the toolchain's nm -C into the build's symbol
#     map, see src/kernel/debug/symbol_map.hpp);
#   - "System halted." and a CPU that is still halted a second later: no
#     reset and no reboot loop (-no-reboot turns a triple fault into an exit,
#     which fails the test).
# Included by tests/CMakeLists.txt, which defines keel_boot_test().
#
# keel_crash_test(<name> FUNCTION <function> EXPECT <regex>... [SCREEN <regex>])
#   FUNCTION  a function of src/kernel/crash whose name a backtrace frame shows
#             (unqualified: KEEL_CRASH_SCOPE, tests/CMakeLists.txt, is added)
#   EXPECT    regexes that must all appear on COM1 (Python re, per line)
#   SCREEN    a regex the VGA text screen must show, in panic colours (BIOS)
function(keel_crash_test name)
    cmake_parse_arguments(PARSE_ARGV 1 C "" "FUNCTION;SCREEN" "EXPECT")
    set(args --direct "${CMAKE_BINARY_DIR}/keel.elf" --cmdline "crash=${name}")
    foreach(regex IN LISTS C_EXPECT)
        list(APPEND args --expect "${regex}")
    endforeach()
    list(APPEND args
        --expect "^  #[0-9]+ +0x[0-9a-f]{16}  ${KEEL_CRASH_SCOPE}${C_FUNCTION}\\([^)]*\\)${KEEL_CLONES}\\+0x[0-9a-f]+"
        --expect "^System halted\\.$"
        --expect-halt
        --reject "crash: '[^']*' returned"
        --reject "PANIC \\(nested\\)"
        --reject "unknown crash test")
    if(C_SCREEN)
        # The report is written white on red (log::begin_panic); the last
        # row, scrolled in after it, is entirely in panic colours.
        list(APPEND args --expect-screen "${C_SCREEN}" --expect-vga-attr 24 0x4f)
    endif()
    keel_boot_test(crash.${name} LABELS crash ARGS ${args})
endfunction()

set(kernel_address "0xffffffff8[0-9a-f]{7}")

keel_crash_test(null-deref FUNCTION null_deref
    EXPECT "^PANIC: Page Fault at 0x0000000000000000 \\(not-present read, kernel mode\\)$"
           "^  CR2 0x0000000000000000 \\(the faulting address\\)$"
           "^  RIP ${kernel_address}  ${KEEL_CRASH_SCOPE}null_deref\\(\\)${KEEL_CLONES}\\+0x[0-9a-f]+$"
    SCREEN "PANIC: Page Fault at 0x0000000000000000")
keel_crash_test(write-rodata FUNCTION write_rodata
    EXPECT "^PANIC: Page Fault at ${kernel_address} \\(protection-violation write, kernel mode\\)$")
keel_crash_test(write-text FUNCTION write_text
    EXPECT "^PANIC: Page Fault at ${kernel_address} \\(protection-violation write, kernel mode\\)$"
           "^  CR2 ${kernel_address} \\(the faulting address, in ${KEEL_CRASH_SCOPE}text_target\\(\\)${KEEL_CLONES}\\+0x0\\)$")
keel_crash_test(exec-data FUNCTION exec_data
    EXPECT "^PANIC: Page Fault at ${kernel_address} \\(protection-violation instruction fetch, kernel mode\\)$"
           "the probable caller")
keel_crash_test(exec-stack FUNCTION exec_stack
    EXPECT "^PANIC: Page Fault at ${kernel_address} \\(protection-violation instruction fetch, kernel mode\\)$"
           "^  CR2 ${kernel_address} \\(the faulting address, kernel stack\\)$")
keel_crash_test(stack-overflow FUNCTION recurse
    EXPECT "^PANIC: Double Fault: kernel stack overflow \\(guard page hit at ${kernel_address}\\)$"
           "^  CR2 ${kernel_address} \\(the last page fault, guard page of the kernel stack\\)$")
keel_crash_test(divide-by-zero FUNCTION divide_by_zero
    EXPECT "^PANIC: Divide Error \\(#DE, vector 0\\) at ${kernel_address} ${KEEL_CRASH_SCOPE}divide_by_zero\\(\\)${KEEL_CLONES}\\+0x[0-9a-f]+$")
keel_crash_test(invalid-opcode FUNCTION invalid_opcode
    EXPECT "^PANIC: Invalid Opcode \\(#UD, vector 6\\) at ${kernel_address} ${KEEL_CRASH_SCOPE}invalid_opcode\\(\\)${KEEL_CLONES}\\+0x[0-9a-f]+$")
keel_crash_test(general-protection FUNCTION general_protection
    EXPECT "^PANIC: General Protection \\(#GP, vector 13, error code 0x0\\) at ${kernel_address} ${KEEL_CRASH_SCOPE}general_protection\\(\\)${KEEL_CLONES}\\+0x[0-9a-f]+$"
           "^  vector 13 \\(#GP\\), error code 0x0: 0 \\(not selector-related\\)$")
keel_crash_test(stack-smash FUNCTION stack_smash
    EXPECT "^PANIC: stack smashing detected in ${KEEL_CRASH_SCOPE}stack_smash\\(\\)${KEEL_CLONES}\\+0x[0-9a-f]+ ")
# The heap's debug checks, on in every kernel build (KEEL_DEBUG_ALLOC); each
# report names the block and the function that called new or delete.
set(heap_block "0xffff8[0-9a-f]{11}")
keel_crash_test(heap-overflow FUNCTION heap_overflow
    EXPECT "^PANIC: heap-overflow: block ${heap_block} \\(24 bytes\\), byte 24 written, freed by ${KEEL_CRASH_SCOPE}heap_overflow\\(\\)${KEEL_CLONES}\\+0x[0-9a-f]+$")
keel_crash_test(double-free FUNCTION double_free
    EXPECT "^PANIC: double-free: block ${heap_block} by ${KEEL_CRASH_SCOPE}double_free\\(\\)${KEEL_CLONES}\\+0x[0-9a-f]+$")
keel_crash_test(use-after-free FUNCTION use_after_free
    EXPECT "^PANIC: use-after-free: freed block ${heap_block} written at byte 24, found allocating for ${KEEL_CRASH_SCOPE}use_after_free\\(\\)${KEEL_CLONES}\\+0x[0-9a-f]+$")
keel_crash_test(ubsan FUNCTION add_one
    EXPECT "^PANIC: UBSan: signed integer overflow at src/kernel/crash/ubsan_trigger\\.cpp:[0-9]+:[0-9]+$"
           "^  2147483647 \\+ 1 cannot be represented in type 'int'$")
keel_crash_test(panic FUNCTION plain_panic
    EXPECT "^PANIC: crash test: an explicit kernel::panic\\(\\)$"
           "^  at src/kernel/crash/crash\\.cpp:[0-9]+ in plain_panic$")

# An unknown name is an error that lists the valid ones; the boot goes on.
keel_boot_test(crash.unknown-name LABELS crash
    ARGS --direct "${CMAKE_BINARY_DIR}/keel.elf" --cmdline "crash=no-such-test"
         --expect "crash: unknown crash test 'no-such-test'; valid names: null-deref, write-rodata, write-text, exec-data, exec-stack, stack-overflow, divide-by-zero, invalid-opcode, general-protection, stack-smash, ubsan, heap-overflow, double-free, use-after-free, panic, irq-handler, tick-handler, exception-vector-irq, ap-panic, lock-held, lock-held-guard, ap-stack-overflow, oom, irq-unsafe-lock, irq-unsafe-class, lock-recursion, lock-order, lock-class-order, lock-class-nested, hang, hang-ap, init-ap$"
         --expect "ready in [0-9]+ us"
         --reject PANIC)
# Without a usable symbol map (here: its magic number spoiled in a copy of
# the image), the kernel says why and frames name the mangled .symtab symbol.
set(keel_badmap_elf "${CMAKE_BINARY_DIR}/keel-badmap.elf")
add_custom_command(OUTPUT "${keel_badmap_elf}"
    COMMAND "${Python3_EXECUTABLE}" "${PROJECT_SOURCE_DIR}/tools/make_symbol_map.py" spoil
        --elf "$<TARGET_FILE:kernel>" --output "${keel_badmap_elf}"
    COMMAND "${keel_objcopy}" --strip-debug "${keel_badmap_elf}"
    DEPENDS kernel "${PROJECT_SOURCE_DIR}/tools/make_symbol_map.py"
    COMMENT "Making keel-badmap.elf (a spoiled symbol map) for crash.null-deref.no-map"
    VERBATIM)
add_custom_target(badmap-elf ALL DEPENDS "${keel_badmap_elf}")
keel_boot_test(crash.null-deref.no-map LABELS crash
    ARGS --kernel "${keel_badmap_elf}" --cmdline "crash=null-deref"
         --expect "^warning: symbols: the symbol map has the wrong magic number; names come from the ELF \\.symtab, mangled$"
         --expect "^symbols: [0-9]+ functions in [0-9]+ symbols$"
         --expect "^  #[0-9]+ +0x[0-9a-f]{16}  _ZN6kernel5crash12_GLOBAL__N_110null_derefEv(?:\\.[a-z0-9_.]+)*\\+0x[0-9a-f]+$"
         --expect "^System halted\\.$"
         --expect-halt
         --reject "PANIC \\(nested\\)")

unset(kernel_address)
