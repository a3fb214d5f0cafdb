# Memory, second part (docs/memory-allocators.md, docs/virtual-memory.md):
# the APs' stacks from the kernel stack area, out of memory in words.
# Included by tests/CMakeLists.txt, which defines keel_boot_test().

set(mem2_in_crash "kernel::crash::\\(anonymous namespace\\)::")
set(mem2_clones "(?: \\[clone \\.[a-z0-9_.]+\\])*")
# An address in the kernel stack area (arch/x86_64/stack_area.hpp).
set(mem2_stack_area "0xffffc08[0-9a-f]{9}")

# CPU 1 runs off its kernel stack, which came from frames mapped into the
# stack area with an unmapped guard page below: the double fault says
# "stack overflow" and the registry names the stack (CR2 in its guard).
keel_boot_test(crash.ap-stack-overflow LABELS crash
    ARGS --direct "${CMAKE_BINARY_DIR}/keel.elf" --smp 2 --cmdline crash=ap-stack-overflow
         --expect "^PANIC on CPU 1: Double Fault: kernel stack overflow \\(guard page hit at ${mem2_stack_area}\\)$"
         --expect "^  CR2 ${mem2_stack_area} \\(the last page fault, guard page of the CPU 1 kernel stack\\)$"
         --expect "^  #[0-9]+ +0x[0-9a-f]{16}  ${mem2_in_crash}recurse\\([^)]*\\)${mem2_clones}\\+0x[0-9a-f]+"
         --expect "^System halted\\.$"
         --expect-halt
         --reject "PANIC \\(nested\\)"
         --reject "crash: '[^']*' returned")

# The APs' stacks are registered by name, and 4 CPUs come up with them.
keel_boot_test(smp.stacks.registered
    ARGS --direct "${CMAKE_BINARY_DIR}/keel.elf" --smp 4 --cmdline test=mm_stacks --ktap
         --expect-exit 33 --reject PANIC
         --expect [[^ok [0-9]+ mm_stacks_of_every_cpu_in_the_stack_area$]])
