/*
 * The 32-bit trampoline: from the loader's hand-off to 64-bit long mode.
 *
 * Two entries share it:
 *   _start (the ELF entry; Multiboot2 specification, 3.3 "Machine state"):
 *     EAX = 0x36D76289 (bootloader magic), EBX = physical address of the
 *     boot information; 32-bit protected mode, flat CS/DS/ES/SS, paging
 *     off, interrupts off, A20 on.
 *   pvh_start (the PVH note, pvh_note.S; Xen's docs/misc/pvh.pandoc):
 *     EBX = physical address of the hvm_start_info; the same machine state,
 *     EAX undefined. It records PVH_START_MAGIC as the magic instead.
 * In both, ESP, GDTR and IDTR are undefined: we must not push anything or
 * reload a segment register before setting our own.
 *
 * Exit: jumps to kernel_entry64 (boot64.S) in 64-bit long mode on the
 * early page tables below, with the magic and boot-information address
 * saved in boot_loader_magic / boot_loader_info, the first TSC reading in
 * boot_tsc and the load offset in boot_load_offset.
 *
 * Early page-table layout (4 KiB tables, 2 MiB leaf pages; see docs/boot.md):
 *
 *   boot_pml4[0]   -> boot_pdpt_low[0..3] -> boot_pd[0..3]  identity 0..4 GiB
 *   boot_pml4[511] -> boot_pdpt_high[510] -> boot_pd_high    -2 GiB + x -> x + offset
 *
 * boot_pd_high maps only the image (x below __kernel_physical_end, the link
 * address), shifted by the load offset, so the higher half looks the same
 * wherever the loader put the image.
 *
 * The identity map keeps this code running across the switch to paging and
 * lets the kernel read the boot information, ACPI tables and framebuffer
 * below 4 GiB until it builds its own tables.
 *
 * Any failed check prints a sentence to the VGA text screen and COM1 and
 * halts (boot_fail.S): no triple fault, no reboot loop.
 */
#include "arch/x86_64/bits.h"

/*
 * Position independence. The loader may have placed the image anywhere in
 * the relocation window (multiboot_header.S), so nothing here uses the
 * absolute address of one of its own symbols: EBP holds the load offset
 * (runtime minus link address, a multiple of 2 MiB) and every such address
 * is written sym(%ebp). Symbols of the higher half's .data are reached
 * through their physical address, HIGH_PHYS(sym)(%ebp).
 */
#define HIGH_PHYS(sym) ((sym) - KERNEL_VIRTUAL_BASE)

.section .boot.text, "ax"
.code32

.global _start
.type _start, @function
_start:
    /* The magic is checked before anything touches memory: only a Multiboot2
       loader hands over an EBX worth using as a scratch stack below. */
    cmpl $MB2_BOOTLOADER_MAGIC, %eax
    jne .Lbad_magic
    movl %eax, %esi                 /* ESI = magic, EBX = boot information */
    jmp .Lcommon

.global pvh_start
.type pvh_start, @function
pvh_start:
    /* PVH passes no magic in a register: src/boot/ checks hvm_start_info's own. */
    movl $PVH_START_MAGIC, %esi

.Lcommon:
    /*
     * Where are we? CALL pushes its runtime return address, but there is no
     * stack yet: borrow the boot information's second word (Multiboot2's
     * reserved field, hvm_start_info's version) and put it back.
     */
    movl 4(%ebx), %ecx
    leal 8(%ebx), %esp
    call 1f
1:
    popl %ebp
    movl %ecx, 4(%ebx)
    subl $1b, %ebp                  /* EBP = load offset */

    leal boot_stack_top(%ebp), %esp
    pushl $0
    popfl                           /* known EFLAGS: DF clear, IF clear */

    movl %esi, HIGH_PHYS(boot_loader_magic)(%ebp)
    movl %ebx, HIGH_PHYS(boot_loader_info)(%ebp)
    movl %ebp, HIGH_PHYS(boot_load_offset)(%ebp)

    /* CPUID exists exactly when software can toggle EFLAGS.ID. */
    pushfl
    popl %eax
    movl %eax, %ecx
    xorl $EFLAGS_ID, %eax
    pushl %eax
    popfl
    pushfl
    popl %eax
    pushl %ecx
    popfl                           /* restore the original EFLAGS */
    xorl %ecx, %eax
    testl $EFLAGS_ID, %eax
    jz .Lno_cpuid

    /* Leaf 1 must exist before its bits mean anything (a CPU may report
       a highest basic leaf of 0: then leaf 1 returns other data). */
    movl $CPUID_LEAF_MAX, %eax
    cpuid
    cmpl $CPUID_LEAF_FEATURES, %eax
    jb .Lno_features
    movl $CPUID_LEAF_FEATURES, %eax
    cpuid
    movl %edx, %esi                 /* ESI = leaf 1 EDX feature bits */

    /* The boot clock starts here: the earliest point RDTSC is known safe. */
    testl $CPUID_1_EDX_TSC, %esi
    jz 1f
    rdtsc
    movl %eax, HIGH_PHYS(boot_tsc)(%ebp)
    movl %edx, HIGH_PHYS(boot_tsc + 4)(%ebp)
1:
    testl $CPUID_1_EDX_PAE, %esi
    jz .Lno_pae
    /* Every x86_64 CPU has CMOV and SSE2, so the 64-bit code uses them
       (the compiler's CMOVcc, the SMP code's fences): a virtual CPU with
       them switched off is refused here, in words, not with a #UD. */
    testl $CPUID_1_EDX_CMOV, %esi
    jz .Lno_cmov
    testl $CPUID_1_EDX_SSE2, %esi
    jz .Lno_sse2

    movl $CPUID_LEAF_EXT_MAX, %eax
    cpuid
    cmpl $CPUID_LEAF_EXT_FEATURES, %eax
    jb .Lno_long_mode
    movl $CPUID_LEAF_EXT_FEATURES, %eax
    cpuid
    testl $CPUID_EXT_EDX_LM, %edx
    jz .Lno_long_mode
    movl %edx, %edi                 /* EDI = extended feature bits (NX) */

    /* The CPU can run the kernel; can the machine hold it? (CPUID has
       overwritten EBX: the loader's values come back from memory.) */
    movl HIGH_PHYS(boot_loader_magic)(%ebp), %esi
    movl HIGH_PHYS(boot_loader_info)(%ebp), %ebx
    call boot_image_in_ram          /* image_in_ram.S */
    movl %eax, HIGH_PHYS(boot_image_check)(%ebp)
    cmpl $IMAGE_CHECK_NOT_IN_RAM, %eax
    je .Lno_room

    call build_page_tables

    /* Mode: 32-bit protected, paging off -> enable PAE and EFER.LME. */
    leal boot_pml4(%ebp), %eax
    movl %eax, %cr3
    movl %cr4, %eax
    orl $CR4_PAE, %eax
    movl %eax, %cr4

    movl $MSR_EFER, %ecx
    rdmsr
    orl $EFER_LME, %eax
    testl $CPUID_EXT_EDX_NX, %edi
    jz 1f
    orl $EFER_NXE, %eax             /* NX bits are reserved (fault) without it */
1:
    wrmsr

    /* The GDT pointer holds the table's link address: make it the runtime one. */
    leal gdt64(%ebp), %eax
    movl %eax, gdt64_pointer + 2(%ebp)
    lgdt gdt64_pointer(%ebp)

    /*
     * CR0.PG with EFER.LME set activates IA-32e mode: we are now in
     * compatibility mode (CS.L = 0, CS.D = 1). WP makes read-only pages
     * read-only for the kernel too.
     */
    movl %cr0, %eax
    orl $(CR0_PG | CR0_WP), %eax
    movl %eax, %cr0

    /* Far return through a CS.L = 1 descriptor: 64-bit mode. A far jump's
       target would be an absolute (link) address. */
    leal long_mode_start(%ebp), %eax
    pushl $GDT_KERNEL_CODE
    pushl %eax
    lret

/*
 * Fills the early page tables (layout above) for load offset EBP.
 * Clobbers: EAX, ECX, EDX. Preserves ESI, EDI, EBX, EBP.
 */
build_page_tables:
    pushl %edi
    leal boot_page_tables_start(%ebp), %edi
    movl $((boot_page_tables_end - boot_page_tables_start) / 4), %ecx
    xorl %eax, %eax
    cld
    rep stosl                       /* .boot.bss is not loaded: zero it */

    /* boot_pd: 2048 entries of 2 MiB, physical 0..4 GiB. */
    leal boot_pd(%ebp), %edx
    xorl %ecx, %ecx
1:
    movl %ecx, %eax
    shll $21, %eax
    orl $(PTE_PRESENT | PTE_WRITABLE | PTE_HUGE), %eax
    movl %eax, (%edx, %ecx, 8)
    incl %ecx
    cmpl $(4 * PAGE_TABLE_ENTRIES), %ecx
    jne 1b

    /* boot_pd_high: -2 GiB + link address -> link address + load offset,
       only as many 2 MiB pages as the image covers (kernel.ld). */
    leal boot_pd_high(%ebp), %edx
    movl $(KERNEL_LOAD_ADDRESS / LARGE_PAGE_SIZE), %ecx
1:
    movl %ecx, %eax
    shll $21, %eax
    addl %ebp, %eax
    orl $(PTE_PRESENT | PTE_WRITABLE | PTE_HUGE), %eax
    movl %eax, (%edx, %ecx, 8)
    incl %ecx
    cmpl $__boot_high_map_pages, %ecx
    jne 1b

    /* boot_pdpt_low[i] -> boot_pd + i * 4 KiB, i = 0..3. */
    leal boot_pdpt_low(%ebp), %edx
    leal (boot_pd + PTE_PRESENT + PTE_WRITABLE)(%ebp), %eax
    xorl %ecx, %ecx
2:
    movl %eax, (%edx, %ecx, 8)
    addl $PAGE_SIZE, %eax
    incl %ecx
    cmpl $4, %ecx
    jne 2b

    leal (boot_pd_high + PTE_PRESENT + PTE_WRITABLE)(%ebp), %eax
    movl %eax, boot_pdpt_high + 510 * 8(%ebp)

    leal (boot_pdpt_low + PTE_PRESENT + PTE_WRITABLE)(%ebp), %eax
    movl %eax, boot_pml4(%ebp)
    leal (boot_pdpt_high + PTE_PRESENT + PTE_WRITABLE)(%ebp), %eax
    movl %eax, boot_pml4 + 511 * 8(%ebp)
    popl %edi
    ret

/*
 * Failures end in boot_fail (boot_fail.S). A loader that does not speak
 * Multiboot2 or PVH cannot have read the relocatable tag, so it loaded the
 * image at its link address: offset 0, and the boot stack is ours to use.
 */
.Lbad_magic:
    xorl %ebp, %ebp
    movl $boot_stack_top, %esp
    leal msg_bad_magic(%ebp), %esi
    leal msg_halted_loader(%ebp), %ecx
    jmp boot_fail
/* A failed check: its message and what to do about it (relative to the
   load offset), then the printer. */
.macro fail_with label, message, advice=msg_halted_cpu
\label:
    leal \message(%ebp), %esi
    leal \advice(%ebp), %ecx
    jmp boot_fail
.endm
    fail_with .Lno_cpuid, msg_no_cpuid
    fail_with .Lno_pae, msg_no_pae
    fail_with .Lno_features, msg_no_features
    fail_with .Lno_cmov, msg_no_cmov
    fail_with .Lno_sse2, msg_no_sse2
    fail_with .Lno_long_mode, msg_no_long_mode
    fail_with .Lno_room, msg_no_room, msg_halted_memory

.code64
/* 64-bit mode, still at the identity-mapped low address. */
long_mode_start:
    movw $GDT_KERNEL_DATA, %ax
    movw %ax, %ds
    movw %ax, %es
    movw %ax, %ss
    xorw %ax, %ax
    movw %ax, %fs
    movw %ax, %gs
    movabsq $kernel_entry64, %rax
    jmpq *%rax                      /* into the higher half */

.section .boot.rodata, "a"
msg_bad_magic:    .asciz "The kernel was not started by a Multiboot2 or PVH boot loader (bad magic in EAX)."
msg_no_cpuid:     .asciz "This CPU does not support the CPUID instruction."
msg_no_pae:       .asciz "This CPU does not support PAE paging, which 64-bit mode requires."
msg_no_features:  .asciz "This CPU does not report its features (CPUID leaf 1 is missing)."
msg_no_cmov:      .asciz "This CPU does not support CMOV, which every x86_64 CPU has and this kernel uses."
msg_no_sse2:      .asciz "This CPU does not support SSE2, which every x86_64 CPU has and this kernel uses."
msg_no_long_mode: .asciz "This CPU does not support 64-bit long mode, so this 64-bit kernel cannot run."
msg_no_room:      .asciz "The kernel image does not fit in this machine's RAM (the loader's memory map leaves part of it out)."
msg_halted_cpu:   .asciz "System halted. Use a 64-bit (x86_64) CPU or virtual machine."
msg_halted_loader: .asciz "System halted. Start Keel with GRUB's multiboot2 command or QEMU's -kernel."
msg_halted_memory: .asciz "System halted. Give the machine more memory."

.section .boot.data, "aw"
.balign 8
/* 64-bit GDT: null, kernel code (L=1), kernel data. Accessed bits preset. */
gdt64:
    .quad 0
    .quad 0x00AF9B000000FFFF        /* code: P, DPL0, S, exec/read, accessed; L=1, G */
    .quad 0x00CF93000000FFFF        /* data: P, DPL0, S, read/write, accessed; G, B */
gdt64_end:
gdt64_pointer:
    .short gdt64_end - gdt64 - 1
    .quad gdt64


/*
 * What the kernel keeps from the trampoline lives in the higher half's
 * .data (not .bss: boot64.S zeroes that), written through its physical
 * address before paging; the boot tables and .boot.* are not mapped once
 * the kernel's own page tables are in use.
 */
.section .data
.balign 8
.global boot_loader_magic, boot_loader_info, boot_tsc, boot_load_offset, boot_image_check
boot_loader_magic: .long 0
boot_loader_info:  .long 0
/* IMAGE_CHECK_*: did the loader's memory map show the image in RAM? */
boot_image_check:  .long IMAGE_CHECK_NO_MAP
boot_tsc:          .quad 0
/* Physical minus link address of the image: 0 at KERNEL_LOAD_ADDRESS. */
boot_load_offset:  .quad 0

.section .boot.bss, "aw", @nobits
.balign PAGE_SIZE
boot_page_tables_start:
boot_pml4:      .skip PAGE_SIZE
boot_pdpt_low:  .skip PAGE_SIZE
boot_pdpt_high: .skip PAGE_SIZE
boot_pd:        .skip 4 * PAGE_SIZE
boot_pd_high:   .skip PAGE_SIZE
boot_page_tables_end:
.balign 16
boot_stack:     .skip 256           /* only the trampoline's few calls use it */
boot_stack_top:

/* No executable stack: tells the GNU linker this object needs none. */
.section .note.GNU-stack, "", @progbits
