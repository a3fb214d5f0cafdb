/*
 * The application processors' way from real mode to the kernel: copied by
 * smp/start.cpp into a frame below 1 MiB, whose page number is the SIPI
 * vector. It runs at any such address: real-mode code addresses its data
 * through DS = CS, later code through EBX = the frame's physical address;
 * the three addresses that need the frame's place (the GDT base, two far
 * jumps) are written into the parameter block by the BSP (offsets in
 * bits.h).
 *
 * Real mode -> protected mode (flat 32-bit) -> PAE, the trampoline's
 * CR3 (the kernel's higher half plus an identity map of this one page),
 * EFER.LME/NXE, paging and WP -> 64-bit code here -> the kernel's entry
 * in the higher half, on the AP's stack, with RDI = the argument.
 */
#include "arch/x86_64/bits.h"

.section .rodata
.balign 16
.global ap_trampoline_start, ap_trampoline_end

.code16
ap_trampoline_start:
    cli
    cld
    movw %cs, %ax
    movw %ax, %ds
    movzwl %ax, %ebx
    shll $4, %ebx                   /* EBX: this frame's physical address */
    lgdtl TRAMPOLINE_GDTR
    movl %cr0, %eax
    orl $CR0_PE, %eax
    movl %eax, %cr0
    ljmpl *TRAMPOLINE_FAR32

.code32
.global ap_trampoline_32
ap_trampoline_32:
    movw $GDT_KERNEL_DATA, %ax
    movw %ax, %ds
    movw %ax, %es
    movw %ax, %ss
    movl %cr4, %eax
    orl $CR4_PAE, %eax
    movl %eax, %cr4
    movl TRAMPOLINE_CR3(%ebx), %eax
    movl %eax, %cr3
    movl $MSR_EFER, %ecx
    rdmsr
    orl TRAMPOLINE_EFER(%ebx), %eax
    wrmsr
    movl %cr0, %eax
    orl $(CR0_PG | CR0_WP), %eax
    movl %eax, %cr0                 /* compatibility mode, on the identity map */
    ljmpl *TRAMPOLINE_FAR64(%ebx)

.code64
.global ap_trampoline_64
ap_trampoline_64:
    movl %ebx, %ebx                 /* the upper half is undefined after the switch */
    movq TRAMPOLINE_STACK(%rbx), %rsp
    movq TRAMPOLINE_ARG(%rbx), %rdi
    movq TRAMPOLINE_ENTRY(%rbx), %rax
    xorl %ebp, %ebp                 /* ends the AP's backtraces */
    callq *%rax                     /* never returns */
1:
    cli
    hlt
    jmp 1b

    .org ap_trampoline_start + TRAMPOLINE_GDT
    .quad 0
    .quad 0x00AF9B000000FFFF        /* 0x08: 64-bit code, as the kernel's */
    .quad 0x00CF93000000FFFF        /* 0x10: flat data */
    .quad 0x00CF9B000000FFFF        /* 0x18: flat 32-bit code */
    .org ap_trampoline_start + TRAMPOLINE_END
ap_trampoline_end:

.section .note.GNU-stack, "", @progbits
