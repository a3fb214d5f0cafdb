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

/* Multiboot2's numbers are the boot layer's: boot/multiboot2/protocol.h. */
#include "boot/multiboot2/protocol.h"
/* PVH's numbers likewise: boot/pvh/protocol.h. */
#include "boot/pvh/protocol.h"
/* The PC's fixed device addresses the trampoline also uses: arch/pc.h. */
#include "arch/pc.h"

/* EFLAGS (SDM Vol. 1, 3.4.3). */
#define EFLAGS_ID BIT(21) /* software can toggle it <=> CPUID exists */

/* CPUID (SDM Vol. 2A, CPUID). */
#define CPUID_LEAF_MAX 0x0 /* EAX = the highest basic leaf */
#define CPUID_LEAF_FEATURES 0x1
#define CPUID_1_EDX_TSC BIT(4)
#define CPUID_1_EDX_PAE BIT(6)
#define CPUID_1_EDX_CMOV BIT(15) /* x86_64's baseline: the compiler emits CMOVcc */
#define CPUID_1_EDX_SSE2 BIT(26) /* x86_64's baseline: MFENCE and LFENCE */
#define CPUID_1_EDX_PGE BIT(13)  /* global pages (CR4.PGE) */
#define CPUID_1_EDX_PAT BIT(16)  /* the page attribute table */
#define CPUID_1_ECX_RDRAND BIT(30)
#define CPUID_1_ECX_HYPERVISOR BIT(31)   /* set by hypervisors: leaf 0x40000000 names it */
#define CPUID_LEAF_HYPERVISOR 0x40000000 /* EBX, ECX, EDX: the vendor signature */
#define CPUID_LEAF_EXTENDED_FEATURES 0x7 /* subleaf 0 */
#define CPUID_LEAF_TOPOLOGY 0xB          /* subleaf 0: EBX = 0 if absent, EDX = the x2APIC ID */
#define CPUID_7_EBX_RDSEED BIT(18)
#define CPUID_LEAF_EXT_MAX 0x80000000
#define CPUID_LEAF_EXT_FEATURES 0x80000001
#define CPUID_LEAF_EXT_ADDRESS_SIZES 0x80000008 /* EAX[7:0]: physical address bits */
#define CPUID_EXT_EDX_NX BIT(20)
#define CPUID_EXT_EDX_PAGE1GB BIT(26) /* 1 GiB pages in PDPTEs */
#define CPUID_EXT_EDX_LM BIT(29)
#define CPUID_7_EBX_SMEP BIT(7)
#define CPUID_7_EBX_SMAP BIT(20)
#define CPUID_7_ECX_UMIP BIT(2)

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
/* Page Attribute Table (SDM Vol. 3A, 13.12): eight 3-bit types, one per byte. */
#define MSR_PAT 0x277
#define PAT_TYPE_UC 0x0
#define PAT_TYPE_WC 0x1
#define PAT_TYPE_WT 0x4
#define PAT_TYPE_WP 0x5
#define PAT_TYPE_WB 0x6
#define PAT_TYPE_UC_MINUS 0x7

/* Page-table entries (SDM Vol. 3A, 4.5, tables 4-14 to 4-20). */
#define PTE_PRESENT BIT(0)
#define PTE_WRITABLE BIT(1)
#define PTE_USER BIT(2)
#define PTE_WRITE_THROUGH BIT(3) /* PWT */
#define PTE_CACHE_DISABLE BIT(4) /* PCD */
#define PTE_ACCESSED BIT(5)
#define PTE_DIRTY BIT(6)       /* leaf entries only */
#define PTE_HUGE BIT(7)        /* in a PDPTE/PDE: maps 1 GiB/2 MiB directly */
#define PTE_GLOBAL BIT(8)      /* leaf entries only; needs CR4.PGE */
#define PTE_NO_EXECUTE BIT(63) /* XD; reserved (faults) unless EFER.NXE */
#define PTE_PAT BIT(7)         /* in a 4 KiB PTE (where PS would be) */
#define PTE_PAT_LARGE BIT(12)  /* in a 2 MiB PDE or 1 GiB PDPTE with PS=1 */
#define PAGE_SIZE 0x1000
#define LARGE_PAGE_SIZE 0x200000
#define HUGE_PAGE_SIZE 0x40000000
#define PAGE_TABLE_ENTRIES 512

/*
 * Segment selectors of the kernel's GDT: boot32.S's early gdt64 has the
 * first three, interrupts/gdt.cpp's the rest. User data sits just below user
 * code, the order SYSRET expects (SDM Vol. 2B, SYSRET).
 */
#define GDT_KERNEL_CODE 0x08
#define GDT_KERNEL_DATA 0x10
#define GDT_USER_DATA 0x18
#define GDT_USER_CODE 0x20
#define GDT_TSS 0x28 /* a 16-byte system descriptor: two slots */
#define SELECTOR_RPL3 3

/* Segment descriptor bits (SDM Vol. 3A, 3.4.5, figure 3-8). */
#define SEG_LIMIT_LOW ULL(0xFFFF)              /* limit 15:0 (ignored in 64-bit mode) */
#define SEG_LIMIT_HIGH ULL(0x000F000000000000) /* limit 19:16 */
#define SEG_ACCESSED BIT(40)
#define SEG_READ_WRITE BIT(41) /* code: readable; data: writable */
#define SEG_EXECUTABLE BIT(43)
#define SEG_CODE_DATA BIT(44) /* S: code/data, not a system descriptor */
#define SEG_DPL3 (BIT(45) | BIT(46))
#define SEG_PRESENT BIT(47)
#define SEG_LONG BIT(53)        /* L: 64-bit code */
#define SEG_DEFAULT_32 BIT(54)  /* D/B */
#define SEG_GRANULARITY BIT(55) /* limit in 4 KiB units */
#define SEG_SYSTEM_TYPE_SHIFT 40
#define SEG_TYPE_TSS_AVAILABLE 0x9 /* 64-bit TSS (SDM Vol. 3A, table 3-2) */
#define SEG_TYPE_TSS_BUSY 0xB

/*
 * Interrupt Stack Table slots in the TSS (SDM Vol. 3A, 6.14.5): the
 * exceptions that must run on a known-good stack whatever the kernel stack's
 * state. Each stack has an unmapped guard page below it.
 */
#define IST_DOUBLE_FAULT 1
#define IST_NMI 2
#define IST_MACHINE_CHECK 3
#define IST_STACK_COUNT 3
#define IST_STACK_SIZE 0x4000

/* IDT gate descriptors (SDM Vol. 3A, 6.14.1, figure 6-8). */
#define IDT_ENTRIES 256
#define IDT_GATE_INTERRUPT 0xE /* IF cleared on entry */
#define IDT_GATE_TRAP 0xF      /* IF unchanged */
#define IDT_GATE_DPL3 0x60
#define IDT_GATE_PRESENT 0x80
/* interrupts/entry.S: every vector's stub is this long (padded), in order. */
#define INTERRUPT_STUB_SIZE 16

/*
 * Kernel virtual layout: the image is linked at -2 GiB so -mcmodel=kernel
 * can address it with sign-extended 32-bit displacements. It is linked to
 * load at KERNEL_LOAD_ADDRESS physical, but a Multiboot2 loader may place it
 * anywhere in the relocation window below (multiboot_header.S): boot32.S
 * then maps the higher half onto wherever it runs (docs/boot.md,
 * "Relocation"). The window's alignment is one 2 MiB page, so one offset
 * applied to 2 MiB boot pages keeps the higher-half layout unchanged.
 */
#define KERNEL_VIRTUAL_BASE ULL(0xFFFFFFFF80000000)
#define KERNEL_LOAD_ADDRESS 0x200000
#define KERNEL_RELOC_MIN KERNEL_LOAD_ADDRESS
/* Multiboot2's max_addr is 32 bits: the image ends at or below 4 GiB - 1,
   inside the trampoline's identity map. */
#define KERNEL_RELOC_MAX 0xFFFFFFFF
#define KERNEL_RELOC_ALIGN LARGE_PAGE_SIZE
/* Multiboot2 load preference: lowest, so a loader that can keeps the image
   at its link address. tools/reloc_variant.py makes a "highest" copy for
   the tests (tests/qemu/reloc_tests.cmake). */
#define KERNEL_RELOC_PREFERENCE MB2_RELOC_PREFERENCE_LOWEST
/* What the trampoline learnt of the image's memory (image_in_ram.S, left
   in boot_image_check for arch::image_placement()). */
#define IMAGE_CHECK_IN_RAM 0
#define IMAGE_CHECK_NOT_IN_RAM 1
#define IMAGE_CHECK_NO_MAP 2
/* boot32.S maps -2 GiB.. onto the image with one page directory of 2 MiB
   pages: the image must end below 1 GiB (link address). */
#define BOOT_HIGH_MAP_SIZE HUGE_PAGE_SIZE

/* Each CPU's kernel stack: the boot CPU's in .bss (boot64.S), the APs' allocated as they start. */
#define BOOT_STACK_SIZE 0x4000

/*
 * Exception vectors (SDM Vol. 3A, 6.3.1, table 6-1; AMD APM Vol. 2, 8.2 for
 * 28-30). Vectors 0-31 are reserved for exceptions.
 */
#define EXC_DIVIDE_ERROR 0
#define EXC_DEBUG 1
#define EXC_NMI 2
#define EXC_BREAKPOINT 3
#define EXC_OVERFLOW 4
#define EXC_BOUND_RANGE 5
#define EXC_INVALID_OPCODE 6
#define EXC_DEVICE_NOT_AVAILABLE 7
#define EXC_DOUBLE_FAULT 8
#define EXC_COPROCESSOR_SEGMENT_OVERRUN 9
#define EXC_INVALID_TSS 10
#define EXC_SEGMENT_NOT_PRESENT 11
#define EXC_STACK_SEGMENT 12
#define EXC_GENERAL_PROTECTION 13
#define EXC_PAGE_FAULT 14
#define EXC_X87_FLOATING_POINT 16
#define EXC_ALIGNMENT_CHECK 17
#define EXC_MACHINE_CHECK 18
#define EXC_SIMD_FLOATING_POINT 19
#define EXC_VIRTUALIZATION 20
#define EXC_CONTROL_PROTECTION 21
#define EXC_HYPERVISOR_INJECTION 28
#define EXC_VMM_COMMUNICATION 29
#define EXC_SECURITY 30
#define EXC_COUNT 32
/* The vectors for which the CPU pushes an error code (the entry stubs push 0 for the rest). */
#define EXC_ERROR_CODE_VECTORS                                                             \
    (BIT(EXC_DOUBLE_FAULT) | BIT(EXC_INVALID_TSS) | BIT(EXC_SEGMENT_NOT_PRESENT) |         \
     BIT(EXC_STACK_SEGMENT) | BIT(EXC_GENERAL_PROTECTION) | BIT(EXC_PAGE_FAULT) |          \
     BIT(EXC_ALIGNMENT_CHECK) | BIT(EXC_CONTROL_PROTECTION) | BIT(EXC_VMM_COMMUNICATION) | \
     BIT(EXC_SECURITY))

/* Page-fault error code (SDM Vol. 3A, 4.7, figure 4-12). */
#define PF_ERR_PRESENT BIT(0) /* 0: not-present page; 1: protection violation */
#define PF_ERR_WRITE BIT(1)
#define PF_ERR_USER BIT(2)
#define PF_ERR_RESERVED BIT(3) /* a reserved bit set in a paging-structure entry */
#define PF_ERR_FETCH BIT(4)    /* instruction fetch */
#define PF_ERR_PK BIT(5)       /* protection key */
#define PF_ERR_SHADOW_STACK BIT(6)
#define PF_ERR_SGX BIT(15)

/* Selector error code of #TS, #NP, #SS, #GP (SDM Vol. 3A, 6.13, figure 6-6). */
#define SEL_ERR_EXTERNAL BIT(0) /* EXT: raised while delivering an external event */
#define SEL_ERR_IDT BIT(1)      /* IDT: the index refers to a gate in the IDT */
#define SEL_ERR_LDT BIT(2)      /* TI: with IDT clear, the LDT rather than the GDT */
#define SEL_ERR_INDEX_SHIFT 3

/* Control-protection (#CP) error code (SDM Vol. 1, 18.4 / Vol. 3A, 6.15). */
#define CP_ERR_CODE_MASK 0x7FFF
#define CP_ERR_NEAR_RET 1
#define CP_ERR_FAR_RET_IRET 2
#define CP_ERR_ENDBRANCH 3
#define CP_ERR_RSTORSSP 4
#define CP_ERR_SETSSBSY 5
#define CP_ERR_ENCL BIT(15)

/* RFLAGS (SDM Vol. 1, 3.4.3). EFLAGS_ID above is bit 21. */
#define RFLAGS_CF BIT(0)
#define RFLAGS_PF BIT(2)
#define RFLAGS_AF BIT(4)
#define RFLAGS_ZF BIT(6)
#define RFLAGS_SF BIT(7)
#define RFLAGS_TF BIT(8)
#define RFLAGS_IF BIT(9)
#define RFLAGS_DF BIT(10)
#define RFLAGS_OF BIT(11)
#define RFLAGS_IOPL_SHIFT 12
#define RFLAGS_NT BIT(14)
#define RFLAGS_RF BIT(16)
#define RFLAGS_VM BIT(17)
#define RFLAGS_AC BIT(18)
#define RFLAGS_VIF BIT(19)
#define RFLAGS_VIP BIT(20)

/*
 * The AP trampoline (smp/trampoline.S), copied to a 4 KiB frame below
 * 1 MiB: code from offset 0 (a SIPI starts the AP at CS = page << 8, IP 0),
 * then a parameter block at these offsets, which the BSP fills in before
 * each start (smp/start.cpp).
 */
#define TRAMPOLINE_GDTR 0x200  /* 2-byte limit, 4-byte base: the GDT below */
#define TRAMPOLINE_FAR32 0x208 /* m16:32 far pointer to the 32-bit code */
#define TRAMPOLINE_FAR64 0x210 /* m16:32 far pointer to the 64-bit code */
#define TRAMPOLINE_CR3 0x218   /* the trampoline's page tables, below 4 GiB */
#define TRAMPOLINE_EFER 0x21C  /* EFER bits to set (LME, NXE) */
#define TRAMPOLINE_STACK 0x220 /* the AP's first RSP */
#define TRAMPOLINE_ARG 0x228   /* RDI for the entry */
#define TRAMPOLINE_ENTRY 0x230 /* the 64-bit entry (higher half) */
#define TRAMPOLINE_GDT 0x240   /* null, 64-bit code, data, 32-bit code */
#define TRAMPOLINE_END 0x260
#define TRAMPOLINE_CODE32 0x18 /* the GDT's 32-bit code selector */
#define CR4_PCIDE BIT(17)
#define MSR_GS_BASE 0xC0000101

/* The APICs (SDM Vol. 3A, chapter 11; facts: ../shared/notes/platform-facts.md 3). */
#define CPUID_1_EDX_APIC BIT(9)
#define CPUID_1_ECX_X2APIC BIT(21)
#define CPUID_1_ECX_TSC_DEADLINE BIT(24)
#define MSR_APIC_BASE 0x1B
#define APIC_BASE_BSP BIT(8)
#define APIC_BASE_EXTD BIT(10) /* x2APIC mode */
#define APIC_BASE_ENABLE BIT(11)
#define APIC_BASE_ADDRESS_MASK ULL(0x000FFFFFFFFFF000)
#define MSR_TSC_DEADLINE 0x6E0
#define APIC_SVR_ENABLE BIT(8)
#define APIC_LVT_MASKED BIT(16)
#define APIC_LVT_LEVEL BIT(15)
#define APIC_LVT_DELIVERY_NMI (4 << 8)
#define APIC_LVT_TIMER_PERIODIC (1 << 17)
#define APIC_LVT_TIMER_TSC_DEADLINE (2 << 17)
#define APIC_ICR_SELF (1 << 18) /* destination shorthand 01 */
#define APIC_ICR_ASSERT BIT(14)
#define APIC_SPURIOUS_VECTOR 0xFF /* bits 3:0 all ones, as P6 parts need */

/* The 8259 pair (8259A datasheet; platform-facts.md 3.1). */
#define PIC_MASTER_COMMAND 0x20
#define PIC_MASTER_DATA 0x21
#define PIC_SLAVE_COMMAND 0xA0
#define PIC_SLAVE_DATA 0xA1
#define PIC_ICW1_INIT_ICW4 0x11 /* initialise, cascade, edge, ICW4 follows */
#define PIC_ICW4_8086 0x01
#define PIC_OCW3_READ_ISR 0x0B
#define PIC_EOI 0x20
#define PIC_VECTOR_BASE 0x20 /* IRQ 0-15 -> vectors 0x20-0x2F, past the exceptions */
