/*
 * One-instruction memory probes for the self-tests (kernel_space.hpp,
 * probe_read/probe_write). When the access faults and a probe is armed,
 * the page-fault handler resumes at keel_probe_fault (see
 * recover_probe_fault in kernel_space.cpp), which returns 1; otherwise the
 * probe returns 0. Nothing is pushed, so both paths return with the
 * caller's stack as it was.
 */
    .text
    .globl keel_probe_read, keel_probe_read_access
    .globl keel_probe_write, keel_probe_write_access
    .globl keel_probe_fault

/* u64 keel_probe_read(const volatile void* address) */
    .type keel_probe_read, @function
keel_probe_read:
keel_probe_read_access:
    movb (%rdi), %al
    xorl %eax, %eax
    ret
    .size keel_probe_read, . - keel_probe_read

/* u64 keel_probe_write(volatile void* address, u8 value) */
    .type keel_probe_write, @function
keel_probe_write:
keel_probe_write_access:
    movb %sil, (%rdi)
    xorl %eax, %eax
    ret
    .size keel_probe_write, . - keel_probe_write

    .type keel_probe_fault, @function
keel_probe_fault:
    movl $1, %eax
    ret
    .size keel_probe_fault, . - keel_probe_fault

    .section .note.GNU-stack, "", @progbits
