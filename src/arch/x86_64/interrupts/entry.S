/*
 * Exception entry: one stub per vector 0-31 (exception_stub_table lists
 * them for the IDT), all ending in exception_common, which saves a uniform
 * arch::InterruptFrame (frame.hpp) and calls exception_dispatch(frame).
 *
 * The CPU has pushed SS, RSP, RFLAGS, CS, RIP and, for the vectors in
 * EXC_ERROR_CODE_VECTORS, an error code. Each stub pushes a zero error code
 * where the CPU pushes none, then its vector, so every frame has one layout.
 * In 64-bit mode the CPU aligns RSP to 16 bytes before pushing, so after
 * 7 + 15 quadwords RSP is 16-byte aligned again at the call, as the SysV
 * ABI requires.
 *
 * All gates are interrupt gates (IF cleared). Only ring 0 exists yet, so no
 * SWAPGS: add it (checking the saved CS's RPL) with user mode.
 */
#include "arch/x86_64/bits.h"

.section .text
.code64

.macro EXCEPTION_STUB vector
.type exception_stub_\vector, @function
exception_stub_\vector:
.if ((EXC_ERROR_CODE_VECTORS >> \vector) & 1) == 0
    pushq $0
.endif
    pushq $\vector
    jmp exception_common
.size exception_stub_\vector, . - exception_stub_\vector
.endm

.irp vector, 0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,29,30,31
EXCEPTION_STUB \vector
.endr

.type exception_common, @function
exception_common:
    pushq %rax
    pushq %rbx
    pushq %rcx
    pushq %rdx
    pushq %rsi
    pushq %rdi
    pushq %rbp
    pushq %r8
    pushq %r9
    pushq %r10
    pushq %r11
    pushq %r12
    pushq %r13
    pushq %r14
    pushq %r15
    cld                             /* the ABI's direction flag */
    movq %rsp, %rdi                 /* arch::InterruptFrame* */
    callq exception_dispatch
    /* A handler that returns resumes the interrupted code. */
    popq %r15
    popq %r14
    popq %r13
    popq %r12
    popq %r11
    popq %r10
    popq %r9
    popq %r8
    popq %rbp
    popq %rdi
    popq %rsi
    popq %rdx
    popq %rcx
    popq %rbx
    popq %rax
    addq $16, %rsp                  /* vector and error code */
    iretq
.size exception_common, . - exception_common

.section .rodata
.balign 8
.global exception_stub_table
exception_stub_table:
.irp vector, 0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,29,30,31
    .quad exception_stub_\vector
.endr

.section .note.GNU-stack, "", @progbits
