// The kernel's GDT and 64-bit TSS, and the stacks the TSS points at.
//
// GDT layout (selectors in bits.h):
//   0x00 null
//   0x08 kernel code, 64-bit      (the same descriptor as boot32.S's)
//   0x10 kernel data
//   0x18 user data  (DPL 3)       user code follows user data, as SYSRET wants
//   0x20 user code, 64-bit (DPL 3)
//   0x28 TSS (16 bytes: two slots)
#include "arch/x86_64/bits.h"
#include "arch/x86_64/cpu.hpp"
#include "arch/x86_64/interrupts/cpu_tables.hpp"
#include "arch/x86_64/interrupts/exceptions.hpp"
#include "arch/x86_64/stacks.hpp"

// boot64.S: the stack kernel_main runs on.
extern "C" u8 kernel_stack_guard[];
extern "C" u8 kernel_stack_bottom[];
extern "C" u8 kernel_stack_top[];

namespace arch {

namespace {

// SDM Vol. 3A, 8.7, figure 8-11: the 64-bit TSS. Only the stack pointers
// matter in long mode.
struct [[gnu::packed]] Tss {
    u32 reserved0;
    u64 rsp[3];  // RSP0-2: stacks for privilege changes to rings 0-2
    u64 reserved1;
    u64 ist[7];  // IST1-7 (ist[0] is IST1)
    u64 reserved2;
    u16 reserved3;
    u16 iopb_offset;  // >= the limit: no I/O permission bitmap
};
static_assert(sizeof(Tss) == 104);

constexpr u64 kKernelCode = SEG_PRESENT | SEG_CODE_DATA | SEG_EXECUTABLE | SEG_READ_WRITE |
                            SEG_ACCESSED | SEG_LONG | SEG_GRANULARITY | SEG_LIMIT_HIGH |
                            SEG_LIMIT_LOW;
constexpr u64 kKernelData = SEG_PRESENT | SEG_CODE_DATA | SEG_READ_WRITE | SEG_ACCESSED |
                            SEG_DEFAULT_32 | SEG_GRANULARITY | SEG_LIMIT_HIGH | SEG_LIMIT_LOW;
// Exactly boot32.S's descriptors, so reloading changes nothing for ring 0.
static_assert(kKernelCode == 0x00AF9B000000FFFF);
static_assert(kKernelData == 0x00CF93000000FFFF);

constexpr usize kGdtSlots = GDT_TSS / 8 + 2;

// One IST stack with the page below it reserved as its guard: page-aligned
// so the guard is a whole page the page tables can leave unmapped.
struct alignas(PAGE_SIZE) GuardedStack {
    u8 guard[PAGE_SIZE];
    u8 stack[IST_STACK_SIZE];
};
static_assert(IST_STACK_SIZE % PAGE_SIZE == 0);

GuardedStack g_ist_stacks[IST_STACK_COUNT];
Tss g_tss;
alignas(16) u64 g_gdt[kGdtSlots];

const char* const kIstNames[IST_STACK_COUNT] = {"double-fault IST", "NMI IST", "machine-check IST"};
static_assert(IST_DOUBLE_FAULT == 1 && IST_NMI == 2 && IST_MACHINE_CHECK == 3);

u64 address_of(const void* p) { return reinterpret_cast<u64>(p); }

// SDM Vol. 3A, 8.2.3, figure 8-4: a 16-byte system descriptor.
void set_tss_descriptor(usize slot, u64 base, u64 limit) {
    g_gdt[slot] = (limit & 0xFFFF) | ((base & 0xFFFFFF) << 16) |
                  (u64{SEG_TYPE_TSS_AVAILABLE} << SEG_SYSTEM_TYPE_SHIFT) | SEG_PRESENT |
                  (((limit >> 16) & 0xF) << 48) | (((base >> 24) & 0xFF) << 56);
    g_gdt[slot + 1] = base >> 32;
}

void load_gdt() {
    const DescriptorTablePointer pointer{sizeof(g_gdt) - 1, address_of(g_gdt)};
    // CS only changes through a far transfer: a far return to the next
    // instruction. FS and GS get the null selector (their bases are MSRs).
    asm volatile(
        "lgdt %[gdtr]\n\t"
        "pushq %[code]\n\t"
        "leaq 1f(%%rip), %%rax\n\t"
        "pushq %%rax\n\t"
        "lretq\n"
        "1:\n\t"
        "movl %[data], %%eax\n\t"
        "movw %%ax, %%ds\n\t"
        "movw %%ax, %%es\n\t"
        "movw %%ax, %%ss\n\t"
        "xorl %%eax, %%eax\n\t"
        "movw %%ax, %%fs\n\t"
        "movw %%ax, %%gs"
        :
        : [gdtr] "m"(pointer), [code] "i"(GDT_KERNEL_CODE), [data] "i"(GDT_KERNEL_DATA)
        : "rax", "memory");
    asm volatile("ltr %w0" : : "r"(static_cast<u16>(GDT_TSS)) : "memory");
}

}  // namespace

void init_cpu_tables() {
    // Registered before paging::init, which leaves their guard pages
    // unmapped; the backtrace walker and the fault handlers know them from
    // here on.
    register_kernel_stack({"kernel stack", address_of(kernel_stack_bottom),
                           address_of(kernel_stack_top), address_of(kernel_stack_guard)});
    for (usize i = 0; i < IST_STACK_COUNT; ++i) {
        const u64 base = address_of(g_ist_stacks[i].stack);
        register_kernel_stack(
            {kIstNames[i], base, base + IST_STACK_SIZE, address_of(g_ist_stacks[i].guard)});
        g_tss.ist[i] = base + IST_STACK_SIZE;  // IST(i + 1); 16-byte aligned
    }
    g_tss.rsp[0] = address_of(kernel_stack_top);
    g_tss.iopb_offset = sizeof(Tss);

    g_gdt[0] = 0;
    g_gdt[GDT_KERNEL_CODE / 8] = kKernelCode;
    g_gdt[GDT_KERNEL_DATA / 8] = kKernelData;
    g_gdt[GDT_USER_DATA / 8] = kKernelData | SEG_DPL3;
    g_gdt[GDT_USER_CODE / 8] = kKernelCode | SEG_DPL3;
    set_tss_descriptor(GDT_TSS / 8, address_of(&g_tss), sizeof(Tss) - 1);
    load_gdt();
    install_exception_handlers();
    init_idt();
}

}  // namespace arch
