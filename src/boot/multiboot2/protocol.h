/*
 * Multiboot2's numbers (Multiboot2 specification, sections 3.1.1 and 3.3),
 * shared by the image header and trampoline (assembly, src/arch/x86_64/boot/)
 * and the C++ parser beside this file. Plain #defines: assembly reads them.
 */
#ifndef KEEL_BOOT_MULTIBOOT2_PROTOCOL_H
#define KEEL_BOOT_MULTIBOOT2_PROTOCOL_H

#define MB2_HEADER_MAGIC 0xE85250D6
#define MB2_HEADER_SEARCH_BYTES 32768 /* the header lies within the image's first 32 KiB */
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

/* The boot information the trampoline reads (src/arch/x86_64/boot/image_in_ram.S). */
#define MB2_INFO_HEADER_SIZE 8 /* total_size, reserved */
#define MB2_TAG_ALIGN 8
#define MB2_TAG_END 0
#define MB2_TAG_MMAP 6
#define MB2_MMAP_ENTRIES 16         /* the first entry's offset in the tag */
#define MB2_MMAP_ENTRY_SIZE_FIELD 8 /* u32: the entries' stride */
#define MB2_MMAP_ENTRY_MIN_SIZE 24  /* base u64, length u64, type u32, reserved u32 */
#define MB2_MMAP_BASE 0             /* u64, in an entry */
#define MB2_MMAP_LENGTH 8           /* u64 */
#define MB2_MMAP_TYPE 16            /* u32 */
#define MB2_MEMORY_AVAILABLE 1

#endif
