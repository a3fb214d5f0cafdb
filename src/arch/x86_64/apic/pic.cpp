#include "arch/x86_64/apic/pic.hpp"

#include "arch/io.hpp"
#include "arch/x86_64/apic/pic_logic.hpp"
#include "arch/x86_64/bits.h"
#include "arch/x86_64/interrupts/interrupt_table.hpp"
#include "kernel/log/log.hpp"
#include "kernel/panic/panic.hpp"
#include "lib/no_unroll.hpp"

namespace arch::pic {

namespace {

constexpr Port kMasterCommand{PIC_MASTER_COMMAND};
constexpr Port kMasterData{PIC_MASTER_DATA};
constexpr Port kSlaveCommand{PIC_SLAVE_COMMAND};
constexpr Port kSlaveData{PIC_SLAVE_DATA};

u64 g_spurious = 0;
u64 g_stray = 0;

// Real 8259s need a moment between initialisation words.
void io_wait() { io_delay(); }

u8 read_isr(Port command) {
    out8(command, PIC_OCW3_READ_ISR);
    return in8(command);
}

void handle_pic_vector(InterruptFrame& frame, void* /*context*/) {
    const u8 irq = static_cast<u8>(frame.vector - PIC_VECTOR_BASE);
    const u8 isr = read_isr(irq < 8 ? kMasterCommand : kSlaveCommand);
    const Verdict verdict = classify(irq, isr);
    switch (verdict) {
        case Verdict::SpuriousMaster:
            __atomic_fetch_add(&g_spurious, 1, __ATOMIC_RELAXED);
            return;
        case Verdict::SpuriousSlave:
            __atomic_fetch_add(&g_spurious, 1, __ATOMIC_RELAXED);
            out8(kMasterCommand, PIC_EOI);
            return;
        case Verdict::Real:
            break;
    }
    // A masked line cannot do this; say so once, and acknowledge it so the
    // PIC does not hold back lower-priority lines.
    if (__atomic_fetch_add(&g_stray, 1, __ATOMIC_RELAXED) == 0)
        kernel::log::warn("pic: IRQ {} arrived although every PIC line is masked", irq);
    if (irq >= 8) out8(kSlaveCommand, PIC_EOI);
    out8(kMasterCommand, PIC_EOI);
}

const InterruptHandler kPicHandler{"8259 PIC", handle_pic_vector, nullptr};

}  // namespace

void remap_and_mask() {
    // ICW1-ICW4 on both chips (8259A datasheet, "Initialization Command
    // Words"), then OCW1 masking every line.
    out8(kMasterCommand, PIC_ICW1_INIT_ICW4);
    io_wait();
    out8(kSlaveCommand, PIC_ICW1_INIT_ICW4);
    io_wait();
    out8(kMasterData, PIC_VECTOR_BASE);
    io_wait();
    out8(kSlaveData, PIC_VECTOR_BASE + 8);
    io_wait();
    out8(kMasterData, 1U << 2);  // the slave hangs on master input 2
    io_wait();
    out8(kSlaveData, 2);  // the slave's cascade identity
    io_wait();
    out8(kMasterData, PIC_ICW4_8086);
    io_wait();
    out8(kSlaveData, PIC_ICW4_8086);
    io_wait();
    out8(kMasterData, 0xFF);
    out8(kSlaveData, 0xFF);
    // Rolled: unrolled, the 16 installs and their checks are 32 blocks of
    // code that each run once.
    KEEL_NO_UNROLL
    for (u8 v = PIC_VECTOR_BASE; v < PIC_VECTOR_BASE + 16; ++v) {
        const Result<void, VectorError> installed = interrupt_table().install(v, kPicHandler);
        if (!installed)
            kernel::panic("pic: cannot install the handler on vector {:#x}: {}", v,
                          describe(installed.error()));
    }
}

u64 spurious_count() { return __atomic_load_n(&g_spurious, __ATOMIC_RELAXED); }
u64 stray_count() { return __atomic_load_n(&g_stray, __ATOMIC_RELAXED); }

}  // namespace arch::pic
