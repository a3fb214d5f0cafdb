/*
 * The PVH ELF note (Xen's elfnote.h, XEN_ELFNOTE_PHYS32_ENTRY): a loader
 * that boots PVH (QEMU's -kernel, Xen) finds it in a PT_NOTE segment and
 * jumps to pvh_start (boot32.S) in 32-bit protected mode, paging off, with
 * EBX = the physical address of the hvm_start_info. GRUB ignores it.
 *
 * The descriptor is 8 bytes: QEMU reads a 64-bit value from an ELF64 note
 * (the upper half is 0, as the entry is below 4 GiB). The segment's 4-byte
 * alignment is the one the note format assumes (linker/kernel.ld).
 */
#include "arch/x86_64/bits.h"

.section .note.Xen, "a", @note
.balign 4
    .long 2f - 1f                   /* name size, NUL included */
    .long 4f - 3f                   /* descriptor size */
    .long XEN_ELFNOTE_PHYS32_ENTRY
1:  .asciz "Xen"
2:  .balign 4
3:  .quad pvh_start
4:  .balign 4

/* No executable stack: tells the GNU linker this object needs none. */
.section .note.GNU-stack, "", @progbits
