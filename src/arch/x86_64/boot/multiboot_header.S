/*
 * The Multiboot2 header (Multiboot2 specification, 3.1). GRUB looks for it in
 * the first 32 KiB of the file, 8-byte aligned; linker/kernel.ld places this
 * section first and ASSERTs both.
 */
#include "arch/x86_64/bits.h"

.section .multiboot, "a"
.balign 8
.global mb2_header
mb2_header:
    .long MB2_HEADER_MAGIC
    .long MB2_ARCH_I386
    .long mb2_header_end - mb2_header
    /* magic + architecture + length + checksum must be 0 modulo 2^32. */
    .long 0x100000000 - (MB2_HEADER_MAGIC + MB2_ARCH_I386 + (mb2_header_end - mb2_header))

    /* We can drive an EGA text console: on BIOS GRUB may leave text mode on. */
    .balign 8
    .short MB2_HEADER_TAG_CONSOLE_FLAGS
    .short MB2_HEADER_TAG_OPTIONAL
    .long 12
    .long MB2_CONSOLE_FLAGS_EGA_TEXT_SUPPORTED

    /*
     * Ask for a linear framebuffer (optional): UEFI machines have no text mode,
     * so there GRUB hands us a GOP framebuffer. 1024x768x32 is a preference.
     */
    .balign 8
    .short MB2_HEADER_TAG_FRAMEBUFFER
    .short MB2_HEADER_TAG_OPTIONAL
    .long 20
    .long 1024
    .long 768
    .long 32

    /*
     * Relocatable (Multiboot2 specification, 3.1.10): the loader may place
     * the image anywhere in [KERNEL_RELOC_MIN, KERNEL_RELOC_MAX] on a 2 MiB
     * boundary (bits.h says why). Optional, so a loader without relocation
     * support loads it at the link address, which boot32.S handles too.
     */
    .balign 8
    .short MB2_HEADER_TAG_RELOCATABLE
    .short MB2_HEADER_TAG_OPTIONAL
    .long 24
    .long KERNEL_RELOC_MIN
    .long KERNEL_RELOC_MAX
    .long KERNEL_RELOC_ALIGN
    .long KERNEL_RELOC_PREFERENCE

    .balign 8
    .short MB2_HEADER_TAG_END
    .short 0
    .long 8
.global mb2_header_end
mb2_header_end:

/* No executable stack: tells the GNU linker this object needs none. */
.section .note.GNU-stack, "", @progbits
