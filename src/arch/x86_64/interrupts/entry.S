/*
 * Interrupt entry for all 256 vectors: one stub per vector, each
 * INTERRUPT_STUB_SIZE bytes (the IDT finds stub n at
 * interrupt_stubs + n * INTERRUPT_STUB_SIZE), all ending in
 * interrupt_common, which saves a uniform arch::InterruptFrame (frame.hpp)
 * and calls interrupt_dispatch(frame) (dispatch.cpp), which runs the
 * vector's handler from the handler table.
 *
 * The CPU has pushed SS, RSP, RFLAGS, CS, RIP and, for the exception vectors
 * in EXC_ERROR_CODE_VECTORS, an error code. Each stub pushes a zero error
 * code where the CPU pushes none, then its vector, so every frame has one
 * layout. In 64-bit mode the CPU aligns RSP to 16 bytes before pushing, so
 * after 7 + 15 quadwords RSP is 16-byte aligned again at the call, as the
 * SysV ABI requires.
 *
 * All gates are interrupt gates (IF cleared). Only ring 0 exists yet, so no
 * SWAPGS: add it (checking the saved CS's RPL) with user mode.
 */
#include "arch/x86_64/bits.h"

.section .text
.code64

/*
 * The stubs, in vector order. The vector is a symbol the .rept advances;
 * a stub is at most 2 + 5 + 5 bytes (push 0, push imm32, jmp rel32),
 * padded with INT3 to the fixed size.
 */
.balign INTERRUPT_STUB_SIZE
.global interrupt_stubs
.type interrupt_stubs, @function
interrupt_stubs:
.set stub_vector, 0
.rept IDT_ENTRIES
1:
.set stub_error_code, 0
.if stub_vector < EXC_COUNT
.set stub_error_code, (EXC_ERROR_CODE_VECTORS >> stub_vector) & 1
.endif
.if stub_error_code == 0
    pushq $0
.endif
    pushq $stub_vector
    /* jmp rel32, spelled out: the assembler may not shorten it, so the
     * stub's size is fixed when the padding below is computed. */
    .byte 0xE9
    .long interrupt_common - (. + 4)
.fill 1b + INTERRUPT_STUB_SIZE - ., 1, 0xCC
.set stub_vector, stub_vector + 1
.endr
.size interrupt_stubs, . - interrupt_stubs
.if . - interrupt_stubs != IDT_ENTRIES * INTERRUPT_STUB_SIZE
.error "an interrupt stub outgrew INTERRUPT_STUB_SIZE"
.endif

.type interrupt_common, @function
interrupt_common:
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
    callq interrupt_dispatch
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
.size interrupt_common, . - interrupt_common

.section .note.GNU-stack, "", @progbits
