/*
 * The null kernel: the least a Multiboot2 (or PVH) kernel can do, as the
 * baseline for bench/boot_time.py. A Multiboot2 header, a 32-bit entry that programs COM1
 * (115200 8N1), writes "ready\n" to it and to the top-left of the VGA text
 * screen, then halts forever.
 *
 * Build (bench/boot_time.py does this; -DNULL_BLOCKS=n adds the translation
 * probe below):
 *   clang --target=i386-unknown-none-elf -c null.S -o null.o
 *   ld.lld -m elf_i386 -T null.ld null.o -o null.elf
 */
    .set MB2_MAGIC, 0xE85250D6
    .set MB2_ARCH_I386, 0
    .set COM1, 0x3F8

    .section .multiboot, "a"
    .balign 8
mb2_header:
    .long MB2_MAGIC
    .long MB2_ARCH_I386
    .long mb2_header_end - mb2_header
    .long 0x100000000 - (MB2_MAGIC + MB2_ARCH_I386 + (mb2_header_end - mb2_header))
    /* End tag. */
    .short 0
    .short 0
    .long 8
mb2_header_end:

    /*
     * The PVH note (XEN_ELFNOTE_PHYS32_ENTRY = 18): QEMU's -kernel enters
     * _start the same way, so the same file is the floor of the direct boot
     * (bench/boot_time.py --direct). 8-byte descriptor, as Keel's.
     */
    .section .note.Xen, "a", @note
    .balign 4
    .long 4                     /* name size: "Xen\0" */
    .long 8                     /* descriptor size */
    .long 18                    /* XEN_ELFNOTE_PHYS32_ENTRY */
    .asciz "Xen"
    .long _start
    .long 0

    .text
    .code32
    .global _start
_start:
    cli
#ifdef NULL_BLOCKS
    /*
     * The translation probe (bench/ready.py): NULL_BLOCKS distinct blocks,
     * each ended by a conditional branch that is never taken, so QEMU's
     * TCG translates NULL_BLOCKS more blocks, once each, before "ready".
     * Booted beside the plain null kernel, the difference is what
     * translating a block costs on this host. A block is shaped like the
     * kernel's average one under TCG: six instructions, a load and a store
     * among them (to a word in free low memory, far from any code, so the
     * store invalidates nothing).
     */
    .set PROBE_WORD, 0x80000
    xorl %eax, %eax
    .rept NULL_BLOCKS
    movl PROBE_WORD, %ecx
    addl $1, %eax
    addl %eax, %ecx
    movl %ecx, PROBE_WORD
    cmpl $-1, %eax
    je 9f
    .endr
9:
#endif
    /* UART: no interrupts, divisor 1 (115200 baud), 8N1, FIFOs on. */
    movw $COM1 + 1, %dx
    movb $0x00, %al
    outb %al, %dx               /* IER = 0 */
    movw $COM1 + 3, %dx
    movb $0x80, %al
    outb %al, %dx               /* LCR: DLAB = 1 */
    movw $COM1 + 0, %dx
    movb $0x01, %al
    outb %al, %dx               /* DLL = 1 */
    movw $COM1 + 1, %dx
    movb $0x00, %al
    outb %al, %dx               /* DLM = 0 */
    movw $COM1 + 3, %dx
    movb $0x03, %al
    outb %al, %dx               /* LCR: 8N1, DLAB = 0 */
    movw $COM1 + 2, %dx
    movb $0xC7, %al
    outb %al, %dx               /* FCR: enable and clear FIFOs */
    movw $COM1 + 4, %dx
    movb $0x03, %al
    outb %al, %dx               /* MCR: DTR, RTS */

    movl $message, %esi
    movl $0xB8000, %edi
1:
    movb (%esi), %bl
    testb %bl, %bl
    jz 3f
    movw $COM1 + 5, %dx
2:
    inb %dx, %al                /* wait for LSR.THRE */
    testb $0x20, %al
    jz 2b
    movw $COM1, %dx
    movb %bl, %al
    outb %al, %dx
    cmpb $'\n', %bl
    je 4f
    movb %bl, (%edi)            /* VGA text: character, grey on black */
    movb $0x07, 1(%edi)
    addl $2, %edi
4:
    incl %esi
    jmp 1b
3:
    cli
    hlt
    jmp 3b

    .section .rodata
message:
    .asciz "ready\n"

/* No executable stack: tells the GNU linker this object needs none. */
.section .note.GNU-stack, "", @progbits
