/*
 * Architectural constants shared by the boot assembly and the C++ kernel.
 * Every bit is named once here, with the manual section that defines it
 * (Intel SDM = Intel 64 and IA-32 Architectures Software Developer's Manual).
 * This file must stay valid for both the assembler and C++: macros only.
 */
#pragma once

#ifdef __ASSEMBLER__
#define BIT(n) (1 << (n))
#define ULL(x) x
#else
#define BIT(n) (1ULL << (n))
#define ULL(x) x##ULL
#endif

/* Multiboot2 (Multiboot2 specification, sections 3.1.1 and 3.3). */
#define MB2_HEADER_MAGIC 0xE85250D6
#define MB2_ARCH_I386 0
#define MB2_BOOTLOADER_MAGIC 0x36D76289
#define MB2_HEADER_TAG_END 0
#define MB2_HEADER_TAG_FRAMEBUFFER 5
#define MB2_HEADER_TAG_OPTIONAL 1
#define MB2_HEADER_TAG_CONSOLE_FLAGS 4
#define MB2_CONSOLE_FLAGS_EGA_TEXT_SUPPORTED BIT(1)

/* EFLAGS (SDM Vol. 1, 3.4.3). */
#define EFLAGS_ID BIT(21) /* software can toggle it <=> CPUID exists */

/* CPUID (SDM Vol. 2A, CPUID). */
#define CPUID_LEAF_FEATURES 0x1
#define CPUID_1_EDX_TSC BIT(4)
#define CPUID_1_EDX_PAE BIT(6)
#define CPUID_1_ECX_RDRAND BIT(30)
#define CPUID_LEAF_EXT_MAX 0x80000000
#define CPUID_LEAF_EXT_FEATURES 0x80000001
#define CPUID_EXT_EDX_NX BIT(20)
#define CPUID_EXT_EDX_LM BIT(29)

/* Control registers (SDM Vol. 3A, 2.5). */
#define CR0_PE BIT(0)
#define CR0_WP BIT(16)
#define CR0_PG BIT(31)
#define CR4_PAE BIT(5)
#define CR4_PGE BIT(7)
#define CR4_OSFXSR BIT(9)
#define CR4_UMIP BIT(11)
#define CR4_SMEP BIT(20)
#define CR4_SMAP BIT(21)

/* Model-specific registers (SDM Vol. 4). */
#define MSR_EFER 0xC0000080
#define EFER_SCE BIT(0)
#define EFER_LME BIT(8)
#define EFER_NXE BIT(11)

/* Page-table entries (SDM Vol. 3A, 4.5, tables 4-14 to 4-20). */
#define PTE_PRESENT BIT(0)
#define PTE_WRITABLE BIT(1)
#define PTE_USER BIT(2)
#define PTE_HUGE BIT(7) /* in a PDPTE/PDE: maps 1 GiB/2 MiB directly */
#define PTE_GLOBAL BIT(8)
#define PAGE_SIZE 0x1000
#define LARGE_PAGE_SIZE 0x200000
#define PAGE_TABLE_ENTRIES 512

/* Segment selectors of the kernel's GDT (see gdt64 in boot32.S). */
#define GDT_KERNEL_CODE 0x08
#define GDT_KERNEL_DATA 0x10

/*
 * Kernel virtual layout: the image is linked at -2 GiB so -mcmodel=kernel
 * can address it with sign-extended 32-bit displacements, and loaded at
 * KERNEL_LOAD_ADDRESS physical.
 */
#define KERNEL_VIRTUAL_BASE ULL(0xFFFFFFFF80000000)
#define KERNEL_LOAD_ADDRESS 0x100000

/* Legacy PC devices used before the C++ drivers are up. */
#define COM1_PORT 0x3F8
#define VGA_TEXT_ADDRESS 0xB8000
#define BOOT_STACK_SIZE 0x4000
