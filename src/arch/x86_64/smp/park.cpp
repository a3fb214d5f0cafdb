// arch::park_cpu_for_crash_test (arch/arch.hpp): an INIT to a running AP,
// for crash=init-ap.
//
// On hardware an AP that took an INIT waits for a SIPI and holds off NMIs
// meanwhile. QEMU's TCG (7.2) does not hold them: an NMI wakes the AP in
// real mode through entry 2 of the interrupt vector table at physical 0
// (INIT leaves the IDT register at base 0), where the firmware put its own
// handler; its IRET returns to the reset vector, and the AP runs the
// firmware's reset code until it triple faults, which resets the whole
// machine (seen with -d int: SeaBIOS's NMI handler, then F000:FFF0). So
// entry 2 first points at a halt loop of its own: an AP woken there halts
// inside the NMI, with NMIs blocked until an IRET that never comes, which
// leaves it as unable to answer as the hardware would. On hardware the
// entry is never read. The loop sits in the table's last entry (vector
// 0xFF), which nothing Keel runs in real mode uses.
#include "arch/arch.hpp"
#include "arch/x86_64/apic/local_apic.hpp"

namespace arch {

namespace {

constexpr u64 kIvtBytes = 0x400;
constexpr u64 kNmiEntry = u64{2} * 4;           // offset, then segment: 16 bits each
constexpr u64 kLoopEntry = u64{0xFF} * 4;       // the halt loop's 4 bytes
constexpr u8 kHaltLoop[] = {0xF4, 0xEB, 0xFD};  // hlt; jmp back to the hlt

void point_real_mode_nmi_at_a_halt() {
    if (!directly_mapped(0, kIvtBytes)) return;
    auto* ivt = phys_to_virt<volatile u8>(0);
    for (u64 i = 0; i < sizeof(kHaltLoop); ++i) ivt[kLoopEntry + i] = kHaltLoop[i];
    ivt[kNmiEntry + 0] = static_cast<u8>(kLoopEntry & 0xFF);
    ivt[kNmiEntry + 1] = static_cast<u8>(kLoopEntry >> 8);
    ivt[kNmiEntry + 2] = 0;  // segment 0
    ivt[kNmiEntry + 3] = 0;
}

}  // namespace

bool park_cpu_for_crash_test(u32 apic_id) {
    point_real_mode_nmi_at_a_halt();
    return lapic::send_ipi(apic_id, lapic::Delivery::Init, 0);
}

}  // namespace arch
