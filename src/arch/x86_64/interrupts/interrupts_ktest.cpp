// In-kernel checks of the CPU tables as the CPU sees them.
#include "arch/x86_64/bits.h"
#include "arch/x86_64/cpu.hpp"
#include "arch/x86_64/interrupts/cpu_tables.hpp"
#include "arch/x86_64/paging/paging.hpp"
#include "kernel/debug/debug.hpp"
#include "kernel/test/ktest.hpp"

namespace {

u16 read_selector_cs() {
    u16 v;
    asm volatile("mov %%cs, %0" : "=r"(v));
    return v;
}
u16 read_selector_ss() {
    u16 v;
    asm volatile("mov %%ss, %0" : "=r"(v));
    return v;
}

}  // namespace

KTEST(cpu_tables_segments_and_task_register) {
    KEXPECT(read_selector_cs() == GDT_KERNEL_CODE);
    KEXPECT(read_selector_ss() == GDT_KERNEL_DATA);
    u16 tr;
    asm volatile("str %0" : "=r"(tr));
    KEXPECT(tr == GDT_TSS);
    arch::DescriptorTablePointer gdtr{}, idtr{};
    asm volatile("sgdt %0" : "=m"(gdtr));
    asm volatile("sidt %0" : "=m"(idtr));
    KEXPECT(gdtr.limit == GDT_TSS + 16 - 1);
    KEXPECT(idtr.limit == IDT_ENTRIES * 16 - 1);
    KEXPECT(gdtr.base >= KERNEL_VIRTUAL_BASE && idtr.base >= KERNEL_VIRTUAL_BASE);
}

KTEST(cpu_tables_stacks_have_unmapped_guard_pages) {
    KEXPECT(arch::kernel_stacks().size() == 1 + IST_STACK_COUNT);
    for (const arch::KernelStack& stack : arch::kernel_stacks()) {
        KEXPECT(stack.guard % PAGE_SIZE == 0);
        KEXPECT(stack.base == stack.guard + PAGE_SIZE);
        KEXPECT(arch::paging::is_guard_page(stack.guard));
        KEXPECT(!arch::paging::lookup(stack.guard).has_value());
        KEXPECT(arch::paging::lookup(stack.base).has_value());
        KEXPECT(arch::paging::lookup(stack.top - 1).has_value());
    }
}

KTEST(cpu_tables_stacks_known_to_the_backtracer) {
    const u64 here = reinterpret_cast<u64>(__builtin_frame_address(0));
    bool on_known_stack = false;
    for (const kernel::debug::StackRange& range : kernel::debug::known_stacks())
        on_known_stack |= range.contains(here, 16);
    KEXPECT(on_known_stack);
    KEXPECT(kernel::debug::known_stacks().size() == arch::kernel_stacks().size());
}
