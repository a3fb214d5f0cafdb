#include "drivers/pit/pit.hpp"

#include "arch/io.hpp"
#include "arch/pc.h"

namespace drivers::pit {

namespace {
// Intel 8254 datasheet; the PC wires channel 2's gate and output to port 0x61.
constexpr arch::Port kChannel2{PIT_CHANNEL2_PORT};
constexpr arch::Port kCommand{PIT_COMMAND_PORT};
constexpr arch::Port kSystemControl{PC_SYSTEM_CONTROL_PORT};
constexpr u8 kGate2 = 0x01;           // port 0x61 bit 0: channel 2 gate
constexpr u8 kSpeaker = 0x02;         // port 0x61 bit 1: speaker data (kept off)
constexpr u8 kOut2 = 0x20;            // port 0x61 bit 5: channel 2 output
constexpr u8 kChannel2Mode0 = 0xB0;   // channel 2, lobyte/hibyte, mode 0, binary
constexpr u64 kMaxReads = 2'000'000;  // a 50 ms window takes tens of thousands
}  // namespace

kernel::time::Window measure(u32 pit_ticks, u64 (*read_counter)(), u64 max_counter) {
    using arch::in8;
    using arch::out8;
    const u8 control = in8(kSystemControl);
    out8(kSystemControl, static_cast<u8>((control & ~kSpeaker) & ~kGate2));
    out8(kCommand, kChannel2Mode0);  // mode 0: OUT2 goes low now
    // When does the count start? On the 8254, at the gate's rising edge; in
    // QEMU's model, as soon as the count is written (it ignores the gate in
    // mode 0). The bracket covers both: from before the count is written to
    // after the gate rises.
    const u64 before_start = read_counter();
    out8(kChannel2, static_cast<u8>(pit_ticks & 0xFF));
    out8(kChannel2, static_cast<u8>(pit_ticks >> 8));
    kernel::time::Window window{0, 0, pit_ticks};
    // OUT2 must be low now, before the count can have ended: a PIT that
    // does not show that is absent or broken (QEMU's -machine pit=off reads
    // high) and is given up at once. (A virtual CPU preempted for a whole
    // window here fails one window too; the caller tries again.)
    if ((in8(kSystemControl) & kOut2) != 0) {
        out8(kSystemControl, control);
        return window;
    }
    // A rising gate starts mode 0's count; OUT2 rises at terminal count. The
    // end lies between the last poll that saw OUT2 low and the reading after
    // the one that saw it high.
    out8(kSystemControl, static_cast<u8>((control & ~kSpeaker) | kGate2));
    const u64 after_start = read_counter();
    u64 last_low = after_start;
    for (u64 reads = 0;; ++reads) {
        const u64 poll = read_counter();
        if ((in8(kSystemControl) & kOut2) == 0) {
            last_low = poll;
        } else {
            const u64 end = read_counter();
            window.low = last_low - after_start;
            window.high = end - before_start;
            break;
        }
        if (poll - before_start > max_counter || reads > kMaxReads) break;
    }
    out8(kSystemControl, control);
    return window;
}

}  // namespace drivers::pit
