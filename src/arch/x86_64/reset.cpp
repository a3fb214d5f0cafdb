#include "arch/arch.hpp"
#include "arch/x86_64/cpu.hpp"

namespace arch {

[[noreturn]] void reset_by_triple_fault() {
    // An IDT of limit 0: int3 finds no gate (#GP), the #GP no gate either
    // (#DF), and the #DF none: the CPU shuts down, which the chipset turns
    // into a reset (SDM Vol. 3A, 6.15 "Double Fault Exception").
    const DescriptorTablePointer empty{0, 0};
    asm volatile("cli; lidt %0; int3" : : "m"(empty) : "memory");
    halt_forever();
}

}  // namespace arch
