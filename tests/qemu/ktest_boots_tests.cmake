# The in-kernel tests (KTAP on COM1) booted on other machines: through GRUB,
# without NX, on q35, in the smallest memory, one group alone; and what
# test= does with a prefix that selects nothing or beside crash=. Under
# UEFI: interrupts_uefi_smp_tests.cmake. Included by tests/CMakeLists.txt,
# which defines keel_boot_test().

# In-kernel tests: KTAP on COM1, then isa-debug-exit 0x10 (status 33).
keel_boot_test(boot.ktest TIMEOUT 60
    ARGS --kernel "${KEEL_KERNEL_ELF}" --cmdline test --ktap --expect-exit 33 --reject PANIC)

# The same in-kernel tests under UEFI (another memory map, a framebuffer)
# and on a CPU without NX (page tables without NX bits, W^X reported off).
# boot.uefi.ktest: interrupts_uefi_smp_tests.cmake (it checks the timer's reports too).
keel_boot_test(boot.ktest.nonx TIMEOUT 60
    ARGS --direct "${CMAKE_BINARY_DIR}/keel.elf" --cpu qemu64,-nx --cmdline test --ktap --expect-exit 33
         --reject PANIC)

# The frame allocator and heap tests (src/kernel/mm/mm_ktest.cpp: every
# free frame filled, checked and given back; 10^5 random heap operations)
# on q35 too, under BIOS and UEFI: other memory maps than i440FX's. Under
# UEFI every in-kernel test runs on q35 (boot.uefi.q35.ktest,
# interrupts_uefi_smp_tests.cmake).
keel_boot_test(boot.bios.q35.ktest.mm TIMEOUT 60
    ARGS --kernel "${KEEL_KERNEL_ELF}" --machine q35
         --cmdline test=mm_ --ktap --expect-exit 33 --reject PANIC
         --expect [[^ok [0-9]+ mm_frames_every_frame_once$]]
         --expect [[^ok [0-9]+ mm_heap_random_100k$]])

# The smallest machines Keel boots on pass every in-kernel test too.
keel_boot_test(boot.ktest.8M TIMEOUT 60
    ARGS --direct "${CMAKE_BINARY_DIR}/keel.elf" --memory 8M --cmdline test --ktap --expect-exit 33
         --reject PANIC)
keel_boot_test(boot.ktest.16M TIMEOUT 60
    ARGS --direct "${CMAKE_BINARY_DIR}/keel.elf" --memory 16M --cmdline test --ktap --expect-exit 33
         --reject PANIC)
# A test=<prefix>,<prefix> whose second prefix selects nothing says so,
# suggests close names and runs nothing (not even the first's tests); a
# crash= beside test is refused by name and the tests still run.
keel_boot_test(boot.ktest.nomatch TIMEOUT 60
    ARGS --direct "${CMAKE_BINARY_DIR}/keel.elf" --cmdline test=format,pagign --expect-exit 35
         --reject PANIC --expect [[^1\.\.0$]] --reject [[^ok ]]
         --expect [[^# no in-kernel test name starts with 'pagign' \([0-9]+ tests exist\)$]]
         --expect [[^# did you mean test=paging_]])
keel_boot_test(boot.ktest.crash_conflict TIMEOUT 60
    ARGS --direct "${CMAKE_BINARY_DIR}/keel.elf" --cmdline "test=format crash=null-deref" --ktap
         --expect-exit 33 --reject PANIC
         --expect [[kernel command line: conflicting option .* 'crash=null-deref']])

# The address-space self-tests alone (test=vm), under BIOS and UEFI.
keel_boot_test(boot.ktest.vm TIMEOUT 60
    ARGS --direct "${CMAKE_BINARY_DIR}/keel.elf" --cmdline test=vm --ktap --expect-exit 33 --reject PANIC
         --expect [[^ok [0-9]+ vm_unmapped_and_read_only_pages_fault_with_the_right_error_code]])
# Under UEFI: boot.uefi.ktest (interrupts_uefi_smp_tests.cmake).
