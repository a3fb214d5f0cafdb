/*
 * The trampoline's failure screen: a check in boot32.S that fails (an old
 * CPU, a wrong loader, an image outside RAM) jumps here with its sentence,
 * which goes to the VGA text screen and COM1 before a halt. No triple
 * fault, no reboot loop, and nothing of the kernel's needed: this runs in
 * 32-bit protected mode before paging, on the trampoline's stack.
 */
#include "arch/x86_64/bits.h"

.section .boot.text, "ax"
.code32

/*
 * Prints "Boot failed: <ESI>" and, two rows down, the halt notice at ECX
 * on the VGA text screen (white on red, whole screen) and COM1, then halts
 * forever. EBP = load offset. Never returns.
 */
.global boot_fail
.type boot_fail, @function
boot_fail:
    pushl %ecx                      /* the second line, for later */
    call serial_init
    /* Paint the screen so the failure is impossible to miss. */
    movl $VGA_TEXT_ADDRESS, %edi
    movl $(80 * 25), %ecx
    movw $0x4F20, %ax               /* ' ' white on red */
    rep stosw

    movl $VGA_TEXT_ADDRESS, %edi
    pushl %esi
    leal msg_prefix(%ebp), %esi
    call print
    popl %esi
    call print
    leal msg_crlf(%ebp), %esi
    call print_serial_only
    movl $(VGA_TEXT_ADDRESS + 2 * 80 * 2), %edi
    popl %esi
    call print
    leal msg_crlf(%ebp), %esi
    call print_serial_only
1:
    cli
    hlt
    jmp 1b

/* Programs COM1 for 115200 8N1, FIFO on. Clobbers: EAX, EDX. */
serial_init:
    movw $(COM1_PORT + 1), %dx
    xorb %al, %al
    outb %al, %dx                   /* IER: no interrupts */
    movw $(COM1_PORT + 3), %dx
    movb $0x80, %al
    outb %al, %dx                   /* LCR.DLAB = 1: divisor latch */
    movw $(COM1_PORT + 0), %dx
    movb $1, %al
    outb %al, %dx                   /* divisor 1 = 115200 baud */
    movw $(COM1_PORT + 1), %dx
    xorb %al, %al
    outb %al, %dx
    movw $(COM1_PORT + 3), %dx
    movb $0x03, %al
    outb %al, %dx                   /* 8 data bits, no parity, 1 stop bit */
    movw $(COM1_PORT + 2), %dx
    movb $0xC7, %al
    outb %al, %dx                   /* FIFO on and cleared */
    movw $(COM1_PORT + 4), %dx
    movb $0x03, %al
    outb %al, %dx                   /* DTR + RTS */
    ret

/*
 * Writes the NUL-terminated string at ESI to VGA (at EDI, advancing it) and
 * COM1. Clobbers: EAX, EDX, ESI, EDI.
 */
print:
    movb (%esi), %al
    testb %al, %al
    jz 2f
    movb %al, (%edi)
    movb $0x4F, 1(%edi)
    addl $2, %edi
    call serial_putc
    incl %esi
    jmp print
2:
    ret

/* As print, COM1 only. Clobbers: EAX, EDX, ESI. */
print_serial_only:
    movb (%esi), %al
    testb %al, %al
    jz 2f
    call serial_putc
    incl %esi
    jmp print_serial_only
2:
    ret

/* Sends AL on COM1 once the transmitter is empty. Clobbers: EDX. */
serial_putc:
    pushl %eax
    movw $(COM1_PORT + 5), %dx
1:
    inb %dx, %al
    testb $0x20, %al                /* LSR bit 5: transmit holding register empty */
    jz 1b
    popl %eax
    movw $COM1_PORT, %dx
    outb %al, %dx
    ret

.section .boot.rodata, "a"
msg_prefix: .asciz "Boot failed: "
msg_crlf:   .asciz "\r\n"

/* No executable stack: tells the GNU linker this object needs none. */
.section .note.GNU-stack, "", @progbits
