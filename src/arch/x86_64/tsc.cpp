#include "arch/x86_64/tsc.hpp"

#include "arch/x86_64/cpu.hpp"
#include "arch/x86_64/io.hpp"

extern "C" u64 boot_tsc;  // boot32.S

namespace arch::tsc {

namespace {
// 8254 PIT (Intel 8254 datasheet; PC wiring of channel 2 via port 0x61).
constexpr u64 kPitHz = 1'193'182;
constexpr Port kPitChannel2{0x42};
constexpr Port kPitCommand{0x43};
constexpr Port kSystemControl{0x61};
constexpr u8 kGate2 = 0x01;          // port 0x61 bit 0: channel 2 gate
constexpr u8 kSpeaker = 0x02;        // port 0x61 bit 1: speaker data (kept off)
constexpr u8 kOut2 = 0x20;           // port 0x61 bit 5: channel 2 output
constexpr u8 kChannel2Mode0 = 0xB0;  // channel 2, lobyte/hibyte, mode 0, binary
constexpr u64 kWindowMs = 10;

u64 g_hz = 0;
}  // namespace

bool calibrate() {
    constexpr u64 count = kPitHz * kWindowMs / 1000;
    u8 control = in8(kSystemControl);
    out8(kSystemControl, static_cast<u8>((control & ~kSpeaker) & ~kGate2));
    out8(kPitCommand, kChannel2Mode0);
    out8(kPitChannel2, count & 0xFF);
    out8(kPitChannel2, static_cast<u8>(count >> 8));
    // A rising gate starts mode 0's count; OUT2 rises at terminal count.
    out8(kSystemControl, static_cast<u8>((control & ~kSpeaker) | kGate2));
    u64 start = rdtsc();
    for (u64 spins = 0; spins < 100'000'000; ++spins) {
        if (in8(kSystemControl) & kOut2) {
            u64 elapsed = rdtsc() - start;
            out8(kSystemControl, control);
            g_hz = elapsed * 1000 / kWindowMs;
            return g_hz != 0;
        }
    }
    out8(kSystemControl, control);
    return false;
}

u64 hz() { return g_hz; }
u64 boot_timestamp() { return boot_tsc; }

u64 microseconds_since_boot() {
    if (g_hz == 0) return 0;
    return (rdtsc() - boot_tsc) * 1'000'000 / g_hz;
}

}  // namespace arch::tsc
