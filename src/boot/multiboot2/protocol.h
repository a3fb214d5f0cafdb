/*
 * Multiboot2's numbers (Multiboot2 specification, sections 3.1.1 and 3.3),
 * shared by the image header and trampoline (assembly, src/arch/x86_64/boot/)
 * and the C++ parser beside this file. Plain #defines: assembly reads them.
 */
#ifndef KEEL_BOOT_MULTIBOOT2_PROTOCOL_H
#define KEEL_BOOT_MULTIBOOT2_PROTOCOL_H

#define MB2_HEADER_MAGIC 0xE85250D6
#define MB2_ARCH_I386 0
#define MB2_BOOTLOADER_MAGIC 0x36D76289
#define MB2_HEADER_TAG_END 0
#define MB2_HEADER_TAG_OPTIONAL 1
#define MB2_HEADER_TAG_CONSOLE_FLAGS 4
#define MB2_HEADER_TAG_FRAMEBUFFER 5
#define MB2_HEADER_TAG_RELOCATABLE 10
#define MB2_RELOC_PREFERENCE_NONE 0
#define MB2_RELOC_PREFERENCE_LOWEST 1
#define MB2_RELOC_PREFERENCE_HIGHEST 2
#define MB2_CONSOLE_FLAGS_EGA_TEXT_SUPPORTED 0x2 /* bit 1 */

#endif
