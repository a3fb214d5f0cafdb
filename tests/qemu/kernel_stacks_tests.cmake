# Memory, second part (docs/memory-allocators.md, docs/virtual-memory.md):
# the APs' stacks from the kernel stack area, out of memory in words.
# Included by tests/CMakeLists.txt, which defines keel_boot_test().

# An address in the kernel stack area (arch/x86_64/stack_area.hpp).
set(mem2_stack_area "0xffffc08[0-9a-f]{9}")

# CPU 1 runs off its kernel stack, which came from frames mapped into the
# stack area with an unmapped guard page below: the double fault says
# "stack overflow" and the registry names the stack (CR2 in its guard).
keel_boot_test(crash.ap-stack-overflow LABELS crash
    ARGS --direct "${CMAKE_BINARY_DIR}/keel.elf" --smp 2 --cmdline crash=ap-stack-overflow
         --expect "^PANIC on CPU 1: Double Fault: kernel stack overflow \\(guard page hit at ${mem2_stack_area}\\)$"
         --expect "^  CR2 ${mem2_stack_area} \\(the last page fault, guard page of the CPU 1 kernel stack\\)$"
         --expect "^  #[0-9]+ +0x[0-9a-f]{16}  ${KEEL_CRASH_SCOPE}recurse\\([^)]*\\)${KEEL_CLONES}\\+0x[0-9a-f]+"
         --expect "^System halted\\.$"
         --expect-halt
         --reject "PANIC \\(nested\\)"
         --reject "crash: '[^']*' returned")

# The APs' stacks are registered by name, and 4 CPUs come up with them.
keel_boot_test(smp.stacks.registered
    ARGS --direct "${CMAKE_BINARY_DIR}/keel.elf" --smp 4 --cmdline test=mm_stacks --ktap
         --expect-exit 33 --reject PANIC
         --expect [[^ok [0-9]+ mm_stacks_of_every_cpu_in_the_stack_area$]])

# A plain `new` that finds no memory: a panic that names the request, its
# caller and what is left (the heap's share, free frames per zone, and a
# largest free block too small for the 128 KiB block a 64 KiB request needs).
keel_boot_test(crash.oom LABELS crash
    ARGS --direct "${CMAKE_BINARY_DIR}/keel.elf" --memory 64M --cmdline crash=oom
         --expect "^PANIC: out of memory: 65536 bytes for ${KEEL_CRASH_SCOPE}out_of_memory\\(\\)${KEEL_CLONES}\\+0x[0-9a-f]+ \\(heap: [0-9]+ KiB in use, [0-9]+ KiB held; frames free: [0-9]+ KiB low, [0-9]+ KiB DMA32, 0 KiB normal; largest free block above 1 MiB: (?:(?:4|8|16|32|64) KiB|none)\\)$"
         --expect "^System halted\\.$"
         --expect-halt
         --reject "PANIC \\(nested\\)"
         --reject "crash: '[^']*' returned")

# The nothrow forms, the same exhaustion: null, then everything back.
foreach(memory IN ITEMS 16M 256M)
    keel_boot_test(mm.ktest.oom.${memory} TIMEOUT 120
        ARGS --direct "${CMAKE_BINARY_DIR}/keel.elf" --memory ${memory}
             --cmdline test=mm_heap_oom --ktap --expect-exit 33 --reject PANIC
             --expect [[^ok [0-9]+ mm_heap_oom_nothrow$]])
endforeach()

# bench=alloc (src/init/bench_alloc.cpp, bench/alloc.py): each line with
# numbers that are not zero, on one CPU and on two at once; the boot goes on
# to ready. No timing is asserted (a shared host makes timings flaky).
set(mem2_ns [[[1-9][0-9]*]])
keel_boot_test(bench.alloc TIMEOUT 120 LABELS bench
    ARGS --direct "${CMAKE_BINARY_DIR}/keel.elf" --smp 2 --cmdline bench=alloc
         --reject PANIC --reject [[^warning: bench]]
         --expect "^bench: alloc, frames \\(order 0\\), 1 CPU: ${mem2_ns} ns per operation \\(20000 pairs\\)$"
         --expect "^bench: alloc, frames \\(order 0\\), 2 CPUs at once: median ${mem2_ns} ns, slowest ${mem2_ns} ns per operation \\(20000 pairs each\\)$"
         --expect "^bench: alloc, heap \\(64 B\\), 1 CPU: ${mem2_ns} ns per operation \\(20000 pairs\\)$"
         --expect "^bench: alloc, heap \\(64 B\\), 2 CPUs at once: median ${mem2_ns} ns, slowest ${mem2_ns} ns per operation \\(20000 pairs each\\)$"
         --expect [[^bench: alloc done \(2 CPUs\)$]] --expect [[ready in [0-9]+ us]])
