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
constexpr u64 kWindowCount = kPitHz * kWindowMs / 1000;  // PIT ticks in the window
// Rates outside this range mean the measurement is wrong (a PIT that is
// absent or not counting, e.g. QEMU's -machine pit=off answers at once).
constexpr u64 kMinHz = 1'000'000;  // Bochs' TSC runs at its emulated instruction rate
constexpr u64 kMaxHz = 20'000'000'000;
// Give up waiting for the PIT after this many TSC ticks (100 ms at the
// fastest plausible rate) or port reads (a 10 ms window takes thousands),
// whichever comes first, so a dead PIT costs at most a second or two.
constexpr u64 kMaxWaitTicks = kMaxHz / 10;
constexpr u64 kMaxWaitReads = 2'000'000;

u64 g_hz = 0;
// A copy of the trampoline's first reading, taken by a global constructor
// (boot64.S runs them before kernel_main): .boot.data, where the trampoline
// stored it, is not mapped once the kernel's own page tables are in use.
const u64 g_boot_tsc = boot_tsc;
ktl::string_view g_source = "unknown";

// Measures TSC ticks over kWindowCount PIT ticks; 0 when the PIT misbehaves.
u64 measure_with_pit() {
    u8 control = in8(kSystemControl);
    out8(kSystemControl, static_cast<u8>((control & ~kSpeaker) & ~kGate2));
    out8(kPitCommand, kChannel2Mode0);  // mode 0: OUT2 goes low now
    out8(kPitChannel2, kWindowCount & 0xFF);
    out8(kPitChannel2, static_cast<u8>(kWindowCount >> 8));
    // A rising gate starts mode 0's count; OUT2 rises at terminal count.
    out8(kSystemControl, static_cast<u8>((control & ~kSpeaker) | kGate2));
    u64 start = rdtsc();
    u64 elapsed = 0;
    bool low_seen = false;
    for (u64 reads = 0;; ++reads) {
        bool out2 = (in8(kSystemControl) & kOut2) != 0;
        elapsed = rdtsc() - start;
        if (!out2) low_seen = true;
        if (out2 && low_seen) break;  // a real count: low first, then high
        if (elapsed > kMaxWaitTicks || reads > kMaxWaitReads) {
            elapsed = 0;
            break;
        }
    }
    out8(kSystemControl, control);
    return elapsed;
}

// CPUID's own statement of the TSC rate (Intel SDM Vol. 2A, CPUID leaves
// 15H "Time Stamp Counter and Nominal Core Crystal Clock" and 16H), when
// the CPU makes one; 0 otherwise.
u64 rate_from_cpuid() {
    if (cpuid(0).eax < 0x15) return 0;
    CpuidResult tsc = cpuid(0x15);
    if (tsc.eax != 0 && tsc.ebx != 0 && tsc.ecx != 0) return tsc.ecx * u64{tsc.ebx} / tsc.eax;
    if (cpuid(0).eax >= 0x16 && (cpuid(0x16).eax & 0xFFFF) != 0)
        return (cpuid(0x16).eax & 0xFFFF) * 1'000'000ULL;  // base frequency in MHz
    return 0;
}

bool plausible(u64 rate) { return rate >= kMinHz && rate <= kMaxHz; }
}  // namespace

bool calibrate() {
    u64 ticks = measure_with_pit();
    u64 rate = ticks * kPitHz / kWindowCount;
    if (plausible(rate)) {
        g_hz = rate;
        g_source = "calibrated against the PIT";
        return true;
    }
    rate = rate_from_cpuid();
    if (plausible(rate)) {
        g_hz = rate;
        g_source = "from CPUID: the PIT did not count";
        return true;
    }
    return false;
}

ktl::string_view rate_source() { return g_source; }

u64 hz() { return g_hz; }
u64 boot_timestamp() { return g_boot_tsc; }

u64 microseconds_since_boot() {
    if (g_hz == 0) return 0;
    // Split so that ticks * 10^6 cannot overflow (it would after ~1.7 h at 3 GHz).
    u64 ticks = rdtsc() - g_boot_tsc;
    return ticks / g_hz * 1'000'000 + ticks % g_hz * 1'000'000 / g_hz;
}

}  // namespace arch::tsc
