#include "drivers/pit/pit.hpp"

#include "arch/io.hpp"

namespace drivers::pit {

namespace {
// Intel 8254 datasheet; the PC wires channel 2's gate and output to port 0x61.
constexpr arch::Port kChannel2{0x42};
constexpr arch::Port kCommand{0x43};
constexpr arch::Port kSystemControl{0x61};
constexpr u8 kGate2 = 0x01;          // port 0x61 bit 0: channel 2 gate
constexpr u8 kSpeaker = 0x02;        // port 0x61 bit 1: speaker data (kept off)
constexpr u8 kOut2 = 0x20;           // port 0x61 bit 5: channel 2 output
constexpr u8 kChannel2Mode0 = 0xB0;  // channel 2, lobyte/hibyte, mode 0, binary
constexpr u64 kMaxReads = 2'000'000;
}  // namespace

kernel::time::Window measure(u32 pit_ticks, u64 (*read_counter)(), u64 max_counter) {
    using arch::in8;
    using arch::out8;
    const u8 control = in8(kSystemControl);
    out8(kSystemControl, static_cast<u8>((control & ~kSpeaker) & ~kGate2));
    out8(kCommand, kChannel2Mode0);  // mode 0: OUT2 goes low now
    out8(kChannel2, static_cast<u8>(pit_ticks & 0xFF));
    out8(kChannel2, static_cast<u8>(pit_ticks >> 8));
    // A rising gate starts mode 0's count; OUT2 rises at terminal count. The
    // start lies between the two readings around the gate's write, the end
    // between the last poll that saw OUT2 low and the reading after the one
    // that saw it high.
    const u64 before_start = read_counter();
    out8(kSystemControl, static_cast<u8>((control & ~kSpeaker) | kGate2));
    const u64 after_start = read_counter();
    kernel::time::Window window{0, 0};
    bool low_seen = false;
    u64 last_low = after_start;
    for (u64 reads = 0;; ++reads) {
        const u64 poll = read_counter();
        const bool out2 = (in8(kSystemControl) & kOut2) != 0;
        if (!out2) {
            low_seen = true;
            last_low = poll;
        } else if (low_seen) {  // a real count: low first, then high
            const u64 end = read_counter();
            window = {last_low - after_start, end - before_start};
            break;
        }
        if (poll - before_start > max_counter || reads > kMaxReads) break;
    }
    out8(kSystemControl, control);
    return window;
}

}  // namespace drivers::pit
