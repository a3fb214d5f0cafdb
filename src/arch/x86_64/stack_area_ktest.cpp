// In-kernel tests of the kernel stack area (stack_area.hpp): every AP's
// kernel and IST stacks live there, registered by name, mapped writable and
// not executable, each guard page unmapped; running off a kernel stack's
// bottom faults. With one CPU there is nothing to check (smp.stacks.registered
// boots four). No stack is allocated here: the registry only grows, and
// cpu_tables_stacks_have_unmapped_guard_pages counts it exactly.
#include "arch/x86_64/bits.h"
#include "arch/x86_64/paging/kernel_space.hpp"
#include "arch/x86_64/stack_area.hpp"
#include "kernel/mm/kernel_stacks.hpp"
#include "kernel/smp/cpu.hpp"
#include "kernel/test/ktest.hpp"

namespace {

namespace paging = arch::paging;

bool in_area(u64 address) {
    return address >= arch::kStackAreaBase && address - arch::kStackAreaBase < arch::kStackAreaSize;
}

bool ends_with(ktl::string_view text, ktl::string_view suffix) {
    return text.size() >= suffix.size() && text.substr(text.size() - suffix.size()) == suffix;
}

// Every page of the stack mapped writable, not executable; the guard not.
bool mapped_as_a_stack(const kernel::mm::KernelStack& stack) {
    for (u64 page = stack.base; page < stack.top; page += PAGE_SIZE) {
        const auto m = paging::kernel_translate(VirtAddr{page});
        if (!m || !has(m->access, paging::PageFlags::Writable) ||
            has(m->access, paging::PageFlags::Executable))
            return false;
    }
    const auto guard = paging::kernel_translate(VirtAddr{stack.guard});
    return !guard && guard.error() == VmError::NotMapped;
}

KTEST(mm_stacks_of_every_cpu_in_the_stack_area) {
    u32 kernel_stacks = 0;
    u32 ist_stacks = 0;
    for (const kernel::mm::KernelStack& stack : kernel::mm::kernel_stacks().stacks()) {
        if (!in_area(stack.base)) continue;
        const ktl::string_view name{stack.name};
        if (stack.cpu == 0) continue;
        KEXPECT(mapped_as_a_stack(stack));
        KEXPECT(kernel::mm::kernel_stacks().guard_at(stack.guard + 8) == &stack);
        if (ends_with(name, "kernel stack")) {
            ++kernel_stacks;
            // Its bottom byte takes a write; the byte below is a not-present
            // write fault at that address.
            auto* bottom = reinterpret_cast<volatile u8*>(stack.base);
            const u8 saved = *bottom;
            const paging::ProbeResult ok = paging::probe_write(bottom, saved);
            KEXPECT(!ok.faulted);
            const paging::ProbeResult below = paging::probe_write(bottom - 1, 0x5A);
            KEXPECT(below.faulted && below.address == stack.base - 1);
            KEXPECT((below.error_code & PF_ERR_PRESENT) == 0 &&
                    (below.error_code & PF_ERR_WRITE) != 0);
        }
        if (ends_with(name, "IST")) ++ist_stacks;
    }
    const u32 aps = kernel::smp::online_count() - 1;
    KEXPECT(kernel_stacks == aps);
    KEXPECT(ist_stacks == aps * IST_STACK_COUNT);
}

}  // namespace
