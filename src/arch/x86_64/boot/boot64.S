/*
 * The 64-bit entry in the higher half.
 *
 * Entry: 64-bit long mode on the early page tables (boot32.S), CS = kernel
 * code, data segments loaded, interrupts off, RSP on the tiny boot stack.
 * Exit: calls kernel_main(magic, boot-information physical address) on the
 * kernel stack with .bss zeroed and global constructors run. Never returns.
 */
#include "arch/x86_64/bits.h"

/*
 * Call-frame information for debuggers, in .debug_frame: the linker script
 * discards .eh_frame, and GDB reads .debug_frame from keel.elf (the ISO's
 * copy is stripped).
 */
.cfi_sections .debug_frame

.section .text
.code64
.global kernel_entry64
.type kernel_entry64, @function
kernel_entry64:
    .cfi_startproc
    /*
     * The outermost frame: nothing called us, so the return address is
     * undefined. Without this GDB guesses one from the stack and `bt` runs
     * past kernel_entry64 into garbage frames (the kernel's own backtracer
     * stops at RBP = 0, set below).
     */
    .cfi_undefined %rip
    movabsq $kernel_stack_top, %rsp /* 16-byte aligned, as the SysV ABI wants at a call */
    xorl %ebp, %ebp                 /* a zero frame pointer ends every backtrace */

    /* Zero .bss ourselves rather than trust the loader (it holds this stack; nothing is on it yet). */
    cld
    movabsq $__bss_start, %rdi
    movabsq $__bss_end, %rcx
    subq %rdi, %rcx
    shrq $3, %rcx
    xorl %eax, %eax
    rep stosq

    /* C++ global constructors, in link order. */
    movabsq $__init_array_start, %rbx
    movabsq $__init_array_end, %r12
1:
    cmpq %r12, %rbx
    je 2f
    callq *(%rbx)
    addq $8, %rbx
    jmp 1b
2:
    movabsq $boot_loader_magic, %rax
    movl (%rax), %edi
    movabsq $boot_loader_info, %rax
    movl (%rax), %esi               /* zero-extends into RSI */
    callq kernel_main
3:
    cli
    hlt
    jmp 3b
    .cfi_endproc
.size kernel_entry64, . - kernel_entry64

.section .bss
.balign PAGE_SIZE
.global kernel_stack_guard, kernel_stack_bottom, kernel_stack_top
/*
 * One page that arch::paging::init leaves unmapped (a registered guard
 * page): a stack overflow page-faults here instead of silently overwriting
 * the .bss below it. kernel.ld checks the alignment.
 */
kernel_stack_guard:
    .skip PAGE_SIZE
kernel_stack_bottom:
    .skip BOOT_STACK_SIZE
kernel_stack_top:

/* No executable stack: tells the GNU linker this object needs none. */
.section .note.GNU-stack, "", @progbits
