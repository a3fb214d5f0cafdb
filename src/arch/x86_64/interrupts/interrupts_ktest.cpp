// In-kernel checks of the CPU tables as the CPU sees them.
#include "arch/x86_64/bits.h"
#include "arch/x86_64/cpu.hpp"
#include "arch/x86_64/interrupts/cpu_tables.hpp"
#include "arch/x86_64/interrupts/interrupt_table.hpp"
#include "arch/x86_64/paging/paging.hpp"
#include "kernel/mm/kernel_stacks.hpp"
#include "kernel/smp/cpu.hpp"
#include "kernel/test/ktest.hpp"

namespace {

u16 read_selector_cs() {
    u16 v = 0;
    asm volatile("mov %%cs, %0" : "=r"(v));
    return v;
}
u16 read_selector_ss() {
    u16 v = 0;
    asm volatile("mov %%ss, %0" : "=r"(v));
    return v;
}

}  // namespace

KTEST(cpu_tables_segments_and_task_register) {
    KEXPECT(read_selector_cs() == GDT_KERNEL_CODE);
    KEXPECT(read_selector_ss() == GDT_KERNEL_DATA);
    u16 tr = 0;
    asm volatile("str %0" : "=r"(tr));
    KEXPECT(tr == GDT_TSS);
    arch::DescriptorTablePointer gdtr{};
    arch::DescriptorTablePointer idtr{};
    asm volatile("sgdt %0" : "=m"(gdtr));
    asm volatile("sidt %0" : "=m"(idtr));
    KEXPECT(gdtr.limit == GDT_TSS + 16 - 1);
    KEXPECT(idtr.limit == IDT_ENTRIES * 16 - 1);
    KEXPECT(gdtr.base >= KERNEL_VIRTUAL_BASE && idtr.base >= KERNEL_VIRTUAL_BASE);
}

KTEST(cpu_tables_stacks_have_unmapped_guard_pages) {
    const kernel::mm::StackRegistry& stacks = kernel::mm::kernel_stacks();
    // Each online CPU's kernel stack and IST stacks (run from the shell,
    // with the other CPUs started, the tests see theirs too).
    KEXPECT(stacks.size() == static_cast<usize>(1 + IST_STACK_COUNT) * kernel::smp::online_count());
    KEXPECT(stacks.guard_count() == stacks.size());
    for (const kernel::mm::KernelStack& stack : stacks.stacks()) {
        KEXPECT(stack.guard % PAGE_SIZE == 0);
        KEXPECT(stack.base == stack.guard + PAGE_SIZE);
        KEXPECT(stacks.guard_at(stack.guard + 8) == &stack);
        KEXPECT(!arch::paging::lookup(stack.guard).has_value());
        KEXPECT(arch::paging::lookup(stack.base).has_value());
        KEXPECT(arch::paging::lookup(stack.top - 1).has_value());
    }
}

KTEST(cpu_tables_stacks_known_to_the_backtracer) {
    const u64 here = reinterpret_cast<u64>(__builtin_frame_address(0));
    bool on_known_stack = false;
    for (const kernel::debug::StackRange& range : kernel::mm::kernel_stacks().ranges())
        on_known_stack |= range.contains(here, 16);
    KEXPECT(on_known_stack);
    const kernel::mm::KernelStack* stack = kernel::mm::kernel_stacks().stack_at(here);
    KEXPECT(stack != nullptr && ktl::string_view(stack->name) == "kernel stack");
}

namespace {

// A vector above the exceptions that nothing else uses during the tests:
// not 0xF0, the first of the wake-up IPI's range (taken once a second CPU
// starts), nor the local APIC's timer (0xE0-) or error (0xF8-) vectors.
constexpr u8 kTestVector = 0xF7;

struct Seen {
    u64 calls;
    u64 vector;
    u64 error_code;
    bool interrupts_off;
};

void record(arch::InterruptFrame& frame, void* context) {
    Seen& seen = *static_cast<Seen*>(context);
    ++seen.calls;
    seen.vector = frame.vector;
    seen.error_code = frame.error_code;
    seen.interrupts_off = !arch::interrupts_enabled();
    frame.rax = 0x1234'5678;  // the interrupted code resumes with this RAX
}

}  // namespace

KTEST(interrupts_dispatch_through_the_handler_table) {
    Seen seen{};
    const arch::InterruptHandler handler{"ktest", record, &seen};
    arch::InterruptTable& table = arch::interrupt_table();
    KEXPECT(table.handler(kTestVector) == nullptr);
    KEXPECT(table.install(kTestVector, handler));
    KEXPECT(table.install(kTestVector, handler).error() == arch::VectorError::Busy);
    const u64 before = table.count(kTestVector);
    u64 rax = 0;
    asm volatile("int %[vector]" : "+a"(rax) : [vector] "i"(kTestVector) : "memory");
    KEXPECT(table.remove(kTestVector, handler));
    KEXPECT(seen.calls == 1);
    KEXPECT(seen.vector == kTestVector);
    KEXPECT(seen.error_code == 0);
    KEXPECT(seen.interrupts_off);  // an interrupt gate
    KEXPECT(rax == 0x1234'5678);
    KEXPECT(table.count(kTestVector) == before + 1);
    KEXPECT(table.handler(kTestVector) == nullptr);
}

KTEST(interrupts_exceptions_are_in_the_handler_table) {
    for (u8 vector = 0; vector < EXC_COUNT; ++vector) {
        const arch::InterruptHandler* handler = arch::interrupt_table().handler(vector);
        KEXPECT(handler != nullptr && ktl::string_view(handler->name) == "CPU exception");
    }
    // The rest belong to the interrupt controllers and devices
    // (docs/interrupts.md, "Vectors"), never to the exception handler.
    for (usize vector = arch::kFirstFreeVector; vector < IDT_ENTRIES; ++vector) {
        const arch::InterruptHandler* handler =
            arch::interrupt_table().handler(static_cast<u8>(vector));
        KEXPECT(handler == nullptr || !(ktl::string_view(handler->name) == "CPU exception"));
    }
}
