#include "arch/x86_64/tsc.hpp"

#include "arch/x86_64/bits.h"
#include "arch/x86_64/cpu.hpp"

extern "C" u64 boot_tsc;  // boot32.S

namespace arch::tsc {

namespace {
u64 g_hz = 0;
// A copy of the trampoline's first reading, taken by a global constructor
// (boot64.S runs them before kernel_main): .boot.data, where the trampoline
// stored it, is not mapped once the kernel's own page tables are in use.
const u64 g_boot_tsc = boot_tsc;
ktl::string_view g_source = "unknown";
}  // namespace

bool present() { return (cpuid(1).edx & CPUID_1_EDX_TSC) != 0; }

u64 read() { return rdtsc(); }

// Intel SDM Vol. 2A, CPUID leaves 15H "Time Stamp Counter and Nominal Core
// Crystal Clock" and 16H "Processor Frequency Information".
u64 rate_from_cpuid() {
    if (cpuid(0).eax < 0x15) return 0;
    CpuidResult tsc = cpuid(0x15);
    if (tsc.eax != 0 && tsc.ebx != 0 && tsc.ecx != 0) return tsc.ecx * u64{tsc.ebx} / tsc.eax;
    if (cpuid(0).eax >= 0x16 && (cpuid(0x16).eax & 0xFFFF) != 0)
        return (cpuid(0x16).eax & 0xFFFF) * 1'000'000ULL;  // base frequency in MHz
    return 0;
}

void set_rate(u64 hz, ktl::string_view source) {
    g_hz = hz;
    g_source = source;
}

ktl::string_view rate_source() { return g_source; }
u64 hz() { return g_hz; }
u64 boot_timestamp() { return g_boot_tsc; }

}  // namespace arch::tsc

u64 arch::microseconds_since_boot() {
    const u64 hz = tsc::g_hz;
    if (hz == 0) return 0;
    // Split so that ticks * 10^6 cannot overflow (it would after ~1.7 h at 3 GHz).
    const u64 ticks = rdtsc() - tsc::g_boot_tsc;
    return ticks / hz * 1'000'000 + ticks % hz * 1'000'000 / hz;
}
