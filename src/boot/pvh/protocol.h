/*
 * PVH's numbers (Xen public headers: arch-x86/hvm/start_info.h and
 * elfnote.h; docs/boot.md, "PVH"), shared by the ELF note and trampoline
 * (assembly, src/arch/x86_64/boot/) and the C++ decoder beside this file.
 * Plain #defines: assembly reads them.
 */
#ifndef KEEL_BOOT_PVH_PROTOCOL_H
#define KEEL_BOOT_PVH_PROTOCOL_H

/* The note type whose descriptor is the 32-bit entry's physical address. */
#define XEN_ELFNOTE_PHYS32_ENTRY 18
/*
 * hvm_start_info.magic ("xEn3" with the top bit of 'E' set). PVH passes no
 * magic in a register: the PVH entry hands this value on in its place, so
 * src/boot/ can tell the protocols apart.
 */
#define PVH_START_MAGIC 0x336EC578

/* hvm_start_info (little-endian; version 1 adds the memory map). */
#define PVH_INFO_SIZE_V0 40
#define PVH_INFO_SIZE_V1 56
#define PVH_MODLIST_ENTRY_SIZE 32
#define PVH_MEMMAP_ENTRY_SIZE 24

/* Byte offsets the trampoline reads too (src/arch/x86_64/boot/image_in_ram.S). */
#define PVH_INFO_VERSION 4
#define PVH_INFO_MEMMAP_PADDR 40   /* u64 */
#define PVH_INFO_MEMMAP_ENTRIES 48 /* u32 */
#define PVH_MEMMAP_ADDR 0          /* u64, in a hvm_memmap_table_entry */
#define PVH_MEMMAP_SIZE 8          /* u64 */
#define PVH_MEMMAP_TYPE 16         /* u32 */

/* hvm_memmap_table_entry.type: the E820 types. */
#define PVH_MEMMAP_RAM 1
#define PVH_MEMMAP_RESERVED 2
#define PVH_MEMMAP_ACPI 3
#define PVH_MEMMAP_NVS 4
#define PVH_MEMMAP_UNUSABLE 5
#define PVH_MEMMAP_DISABLED 6
#define PVH_MEMMAP_PMEM 7

#endif
