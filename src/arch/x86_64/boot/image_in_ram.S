/*
 * Is the loaded image in RAM? A loader puts the image where the image asks
 * whether or not memory is there: QEMU's -kernel with -m 3M loads Keel at
 * 2 MiB and lets its .bss run past the end of RAM, where the kernel's
 * first stack push went nowhere and the boot ended in a silent triple
 * fault. So before leaving 32-bit mode the trampoline asks the loader's
 * memory map (Multiboot2's type-6 tag, PVH's memmap) whether RAM (type 1)
 * covers the image from KERNEL_LOAD_ADDRESS to __kernel_physical_end,
 * shifted by the load offset. Adjacent RAM entries may cover it together;
 * the entries may come in any order.
 *
 * With no map to ask (no tag, a PVH start info of version 0, a map out of
 * 32-bit reach or malformed) the boot goes on: the C++ boot layer checks
 * the boot information properly and reports what is wrong with it, and
 * the log's `image load base` line says the image was not checked.
 * The check itself needs the trampoline's stack, the first 40 KiB of the
 * image (.boot.bss): a loader that ran the image's code from RAM has put
 * those there too.
 */
#include "arch/x86_64/bits.h"
#include "boot/multiboot2/protocol.h"
#include "boot/pvh/protocol.h"

/* One loop reads both maps: their entries agree where it looks. */
#if MB2_MMAP_BASE != PVH_MEMMAP_ADDR || MB2_MMAP_LENGTH != PVH_MEMMAP_SIZE || \
    MB2_MMAP_TYPE != PVH_MEMMAP_TYPE || MB2_MEMORY_AVAILABLE != PVH_MEMMAP_RAM
#error "the Multiboot2 and PVH memory-map entries differ where image_in_ram reads them"
#endif

/* More entries than this is corrupt, not real: leave it to the C++ decoders. */
#define MAX_MAP_ENTRIES 1024

.section .boot.text, "ax"
.code32

/*
 * In:  EBX = boot information, EBP = load offset, ESI = the loader's magic
 *      (MB2_BOOTLOADER_MAGIC or PVH_START_MAGIC).
 * Out: EAX = IMAGE_CHECK_IN_RAM, IMAGE_CHECK_NOT_IN_RAM (the map leaves
 *      part of the image out) or IMAGE_CHECK_NO_MAP (nothing to ask).
 * Clobbers: ECX, EDX, ESI. Preserves EBX, EDI, EBP.
 */
.global boot_image_in_ram
.type boot_image_in_ram, @function
boot_image_in_ram:
    pushl %edi
    cmpl $PVH_START_MAGIC, %esi
    je .Lpvh

    /* Multiboot2: walk the tags, each 8-aligned, to the memory map. */
    movl (%ebx), %edi               /* total_size */
    cmpl $MB2_INFO_HEADER_SIZE, %edi
    jb .Lno_map
    addl %ebx, %edi                 /* EDI = end of the boot information */
    jc .Lno_map
    leal MB2_INFO_HEADER_SIZE(%ebx), %esi
.Ltag:
    leal 8(%esi), %eax
    cmpl %edi, %eax
    ja .Lno_map                     /* no room for another tag header */
    movl 4(%esi), %ecx              /* the tag's size */
    cmpl $8, %ecx
    jb .Lno_map
    leal (%esi, %ecx), %eax
    cmpl %esi, %eax
    jb .Lno_map                     /* wraps */
    cmpl %edi, %eax
    ja .Lno_map                     /* runs past the end */
    cmpl $MB2_TAG_MMAP, (%esi)
    je .Lmb2_map
    cmpl $MB2_TAG_END, (%esi)
    je .Lno_map
    addl $(MB2_TAG_ALIGN - 1), %ecx
    andl $-MB2_TAG_ALIGN, %ecx
    addl %ecx, %esi
    jmp .Ltag
.Lmb2_map:
    movl MB2_MMAP_ENTRY_SIZE_FIELD(%esi), %edi  /* the stride */
    cmpl $MB2_MMAP_ENTRY_MIN_SIZE, %edi
    jb .Lno_map
    leal -MB2_MMAP_ENTRIES(%ecx), %eax
    cmpl $MB2_MMAP_ENTRIES, %ecx
    jb .Lno_map
    xorl %edx, %edx
    divl %edi                       /* EAX = whole entries in the tag */
    movl %eax, %ecx
    movl %edi, %edx
    addl $MB2_MMAP_ENTRIES, %esi
    jmp .Lcover

.Lpvh:
    cmpl $1, PVH_INFO_VERSION(%ebx)
    jb .Lno_map                     /* version 0 has no memory map */
    cmpl $0, PVH_INFO_MEMMAP_PADDR + 4(%ebx)
    jne .Lno_map                    /* above 4 GiB: out of reach here */
    movl PVH_INFO_MEMMAP_PADDR(%ebx), %esi
    movl PVH_INFO_MEMMAP_ENTRIES(%ebx), %ecx
    movl $PVH_MEMMAP_ENTRY_SIZE, %edx

/*
 * ESI = first entry, ECX = entries, EDX = stride. A cursor starts at the
 * image's first byte; each pass over the entries moves it to the end of
 * any RAM entry that contains it, until it reaches the image's end (in
 * RAM) or a pass moves it no further (a hole).
 */
.Lcover:
    testl %ecx, %ecx
    jz .Lno_map
    cmpl $MAX_MAP_ENTRIES, %ecx
    ja .Lno_map
    pushl %ebx
    pushl %ebp
    leal __kernel_physical_end(%ebp), %edi      /* EDI = image end */
    leal KERNEL_LOAD_ADDRESS(%ebp), %eax        /* EAX = cursor */
.Lpass:
    cmpl %edi, %eax
    jae .Lcovered
    movl %eax, %ebp                 /* the cursor before this pass */
    pushl %ecx
    pushl %esi
.Lentry:
    cmpl $MB2_MEMORY_AVAILABLE, MB2_MMAP_TYPE(%esi)
    jne .Lnext
    cmpl $0, MB2_MMAP_BASE + 4(%esi)
    jne .Lnext                      /* starts at or above 4 GiB */
    movl MB2_MMAP_BASE(%esi), %ebx
    cmpl %eax, %ebx
    ja .Lnext                       /* starts after the cursor */
    cmpl $0, MB2_MMAP_LENGTH + 4(%esi)
    jne .Lto_the_end                /* 4 GiB or longer: reaches past the image */
    addl MB2_MMAP_LENGTH(%esi), %ebx
    jc .Lto_the_end                 /* ends at or above 4 GiB */
    cmpl %eax, %ebx
    jbe .Lnext                      /* ends before the cursor */
    movl %ebx, %eax
    jmp .Lnext
.Lto_the_end:
    movl %edi, %eax
.Lnext:
    addl %edx, %esi
    decl %ecx
    jnz .Lentry
    popl %esi
    popl %ecx
    cmpl %ebp, %eax
    jne .Lpass                      /* moved: look again from there */
    popl %ebp
    popl %ebx
    popl %edi
    movl $IMAGE_CHECK_NOT_IN_RAM, %eax
    ret
.Lcovered:
    popl %ebp
    popl %ebx
    popl %edi
    movl $IMAGE_CHECK_IN_RAM, %eax
    ret
.Lno_map:
    popl %edi
    movl $IMAGE_CHECK_NO_MAP, %eax
    ret

/* No executable stack: tells the GNU linker this object needs none. */
.section .note.GNU-stack, "", @progbits
