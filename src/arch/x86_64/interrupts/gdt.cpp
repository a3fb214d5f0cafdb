// Each CPU's GDT and 64-bit TSS (per-CPU variables: the boot CPU's in the
// image, the others' in areas from the heap, kernel/smp/per_cpu.hpp), and
// the stacks the TSS points at: the boot CPU's (init_cpu_tables) in .bss,
// because they are needed before the frame allocator exists (each guard
// page a page of the image the page tables unmap), and each application
// processor's (allocate_ap_stacks) from the kernel stack area through the
// address-space API.
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
#include "arch/x86_64/stack_area.hpp"
#include "arch/x86_64/stacks.hpp"
#include "kernel/smp/per_cpu.hpp"

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

// One TSS and GDT per CPU: the TSS descriptor is marked busy by LTR, so no
// two CPUs can load the same one.
struct CpuTables {
    alignas(16) u64 gdt[kGdtSlots];
    Tss tss;
};

// The boot CPU's IST stacks (it runs on boot64.S's kernel stack).
GuardedStack g_ist_stacks[IST_STACK_COUNT];
KEEL_PER_CPU kernel::smp::PerCpu<CpuTables> g_tables;

// Each AP's stack tops, from the stack area; 0: not allocated yet. Owner:
// the boot CPU, which fills an AP's before starting it.
KEEL_PER_CPU kernel::smp::PerCpu<u64> g_ap_stack_tops;
KEEL_PER_CPU kernel::smp::PerCpu<u64[IST_STACK_COUNT]> g_ap_ist_tops;

// Generic names: the registry adds the CPU ("CPU 3 NMI IST").
const char* const kIstNames[IST_STACK_COUNT] = {"double-fault IST", "NMI IST", "machine-check IST"};
static_assert(IST_DOUBLE_FAULT == 1 && IST_NMI == 2 && IST_MACHINE_CHECK == 3);
// The boot CPU's stacks fit in the registry before the heap exists (the
// others' storage comes from the heap: stack_area.cpp).
static_assert(kernel::mm::StackRegistry::kInitialCapacity >= 1 + IST_STACK_COUNT);

u64 address_of(const void* p) { return reinterpret_cast<u64>(p); }

// SDM Vol. 3A, 8.2.3, figure 8-4: a 16-byte system descriptor.
void set_tss_descriptor(u64* gdt, usize slot, u64 base, u64 limit) {
    gdt[slot] = (limit & 0xFFFF) | ((base & 0xFFFFFF) << 16) |
                (u64{SEG_TYPE_TSS_AVAILABLE} << SEG_SYSTEM_TYPE_SHIFT) | SEG_PRESENT |
                (((limit >> 16) & 0xF) << 48) | (((base >> 24) & 0xFF) << 56);
    gdt[slot + 1] = base >> 32;
}

void load_gdt(const CpuTables& t) {
    const DescriptorTablePointer pointer{sizeof(t.gdt) - 1, address_of(t.gdt)};
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

// Fills CPU `index`'s TSS (its IST stacks end at `ist_tops`) and GDT and
// loads them.
void load_tables(u32 index, u64 kernel_stack_top, const u64 (&ist_tops)[IST_STACK_COUNT]) {
    CpuTables& t = g_tables[index];
    for (usize i = 0; i < IST_STACK_COUNT; ++i)
        t.tss.ist[i] = ist_tops[i];  // IST(i + 1); 16-byte aligned
    t.tss.rsp[0] = kernel_stack_top;
    t.tss.iopb_offset = sizeof(Tss);

    t.gdt[0] = 0;
    t.gdt[GDT_KERNEL_CODE / 8] = kKernelCode;
    t.gdt[GDT_KERNEL_DATA / 8] = kKernelData;
    t.gdt[GDT_USER_DATA / 8] = kKernelData | SEG_DPL3;
    t.gdt[GDT_USER_CODE / 8] = kKernelCode | SEG_DPL3;
    set_tss_descriptor(t.gdt, GDT_TSS / 8, address_of(&t.tss), sizeof(Tss) - 1);
    load_gdt(t);
}

}  // namespace

void init_cpu_tables() {
    // Registered before paging::init, which leaves their guard pages
    // unmapped; the backtrace walker and the fault handlers know them from
    // here on.
    register_kernel_stack({"kernel stack", address_of(kernel_stack_bottom),
                           address_of(kernel_stack_top), address_of(kernel_stack_guard)});
    u64 ist_tops[IST_STACK_COUNT];
    for (usize i = 0; i < IST_STACK_COUNT; ++i) {
        const u64 base = address_of(g_ist_stacks[i].stack);
        register_kernel_stack(
            {kIstNames[i], base, base + IST_STACK_SIZE, address_of(g_ist_stacks[i].guard)});
        ist_tops[i] = base + IST_STACK_SIZE;
    }
    load_tables(0, address_of(kernel_stack_top), ist_tops);
    install_exception_handlers();
    init_idt();
}

Result<void, VmError> allocate_ap_stacks(u32 index) {
    // Only a CPU with a per-CPU area has tables to point at its stacks.
    if (index == 0 || index >= kernel::smp::per_cpu_areas()) return VmError::Misaligned;
    if (g_ap_stack_tops[index] == 0) {
        const auto stack = allocate_kernel_stack("kernel stack", index, BOOT_STACK_SIZE);
        if (!stack) return stack.error();
        g_ap_stack_tops[index] = stack->top;
    }
    for (usize i = 0; i < IST_STACK_COUNT; ++i) {
        if (g_ap_ist_tops[index][i] != 0) continue;
        const auto stack = allocate_kernel_stack(kIstNames[i], index, IST_STACK_SIZE);
        if (!stack) return stack.error();
        g_ap_ist_tops[index][i] = stack->top;
    }
    return {};
}

u64 ap_kernel_stack_top(u32 index) { return g_ap_stack_tops[index]; }

void init_ap_cpu_tables(u32 index) {
    load_tables(index, ap_kernel_stack_top(index), g_ap_ist_tops[index]);
    load_idt();
}

}  // namespace arch
