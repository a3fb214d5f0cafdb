# The CPU the kernel runs on (docs/boot.md): a CPU that lacks what x86_64
# requires (long mode, PAE, CMOV, SSE2, CPUID leaf 1), or an image that does
# not fit in RAM, is refused in words by the 32-bit trampoline, which then
# halts; the boot log names the protections the CPU allows.
# Included by tests/CMakeLists.txt, which defines keel_boot_test().

# A CPU without long mode: the 32-bit trampoline explains on COM1 and on the
# VGA screen, white on red (attribute 0x4f; the message wraps: row 0 holds its
# first 80 characters), then halts. -no-reboot would turn a reset into an
# exit, which fails the test.
keel_boot_test(boot.nolongmode
    ARGS --iso "${KEEL_ISO}" --cpu qemu32
         --expect [[Boot failed: This CPU does not support 64-bit long mode, so this 64-bit kernel cannot run\.]]
         --expect-screen [[^Boot failed: This CPU does not support 64-bit long mode]]
         --expect-vga-attr 0 0x4f
         --expect-halt)

# A 32-bit CPU without PAE (a Pentium): the trampoline checks PAE before long
# mode and names the missing feature.
keel_boot_test(boot.nopae
    ARGS --iso "${KEEL_ISO}" --cpu pentium
         --expect [[Boot failed: This CPU does not support PAE paging, which 64-bit mode requires\.]]
         --expect-screen [[^Boot failed: This CPU does not support PAE paging]]
         --expect-halt)

# x86_64's baseline features switched off in a virtual CPU (found by a
# configuration sweep: CMOV off was a silent triple fault, leaf 0 reporting
# no leaf 1 too, SSE2 off a #UD at the first fence): each is named.
# A loader puts the image where it asks, RAM or not: with -m 3M QEMU's
# -kernel loads it at 2 MiB and its .bss runs past the end of RAM, which
# was a silent triple fault. The trampoline asks the memory map first.
keel_boot_test(boot.image_past_ram
    ARGS --direct "${CMAKE_BINARY_DIR}/keel.elf" --memory 3M
         --expect [[Boot failed: The kernel image does not fit in this machine's RAM]]
         --expect [[^System halted\. Give the machine more memory\.]]
         --expect-halt)
keel_boot_test(boot.nocmov
    ARGS --direct "${CMAKE_BINARY_DIR}/keel.elf" --cpu qemu64,-cmov
         --expect [[Boot failed: This CPU does not support CMOV, which every x86_64 CPU has and this kernel uses\.]]
         --expect-halt)
keel_boot_test(boot.nosse2
    ARGS --direct "${CMAKE_BINARY_DIR}/keel.elf" --cpu qemu64,-sse2
         --expect [[Boot failed: This CPU does not support SSE2, which every x86_64 CPU has and this kernel uses\.]]
         --expect-halt)
keel_boot_test(boot.nocpuid1
    ARGS --direct "${CMAKE_BINARY_DIR}/keel.elf" --cpu qemu64,level=0
         --expect [[Boot failed: This CPU does not report its features \(CPUID leaf 1 is missing\)\.]]
         --expect-halt)


# The boot log names the protections in force (issue 4): all of them on a CPU
# that has them, and what is missing on one without NX (data then stays
# executable, and the log must say so rather than claim W^X).
keel_boot_test(boot.protections.max
    ARGS --iso "${KEEL_ISO}" --cpu max --expect "${ready}" --reject PANIC
         --expect [[protections: W\^X, NX, WP, SMEP, SMAP, UMIP, global pages, null page unmapped]])
keel_boot_test(boot.protections.nonx
    ARGS --iso "${KEEL_ISO}" --cpu qemu64,-nx --expect "${ready}" --reject PANIC
         --expect [[protections: WP, ]]
         --expect [[protections off \(CPU lacks them\): W\^X, NX]])
