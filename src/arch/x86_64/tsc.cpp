#include "arch/x86_64/tsc.hpp"

#include "arch/x86_64/bits.h"
#include "arch/x86_64/cpu.hpp"
#include "kernel/time/clock.hpp"
#include "kernel/time/cpuid_rate.hpp"

extern "C" u64 boot_tsc;  // boot32.S

namespace arch::tsc {

namespace {
u64 g_hz = 0;
// A copy of the trampoline's first reading, taken by a global constructor
// (boot64.S runs them before kernel_main): .boot.data, where the trampoline
// stored it, is not mapped once the kernel's own page tables are in use.
// The trampoline reads the TSC only when CPUID says there is one.
u64 g_boot_tsc = boot_tsc;
ktl::string_view g_source = "unknown";
// Asked once, by a global constructor too: read() is on every timer path.
const bool g_present = (cpuid(1).edx & CPUID_1_EDX_TSC) != 0;
// Set once by use_counter, before interrupts and other CPUs.
u64 (*g_counter)() = nullptr;
}  // namespace

bool present() { return g_present; }

u64 read() {
    if (g_present) return rdtsc();
    return g_counter != nullptr ? g_counter() : 0;
}

void use_counter(u64 (*counter)(), u64 hz, ktl::string_view source) {
    if (g_present || counter == nullptr) return;
    g_counter = counter;
    g_boot_tsc = counter();
    set_rate(hz, source);
}

bool counts_from_boot() { return g_present && g_hz != 0; }

// The arithmetic is kernel/time/cpuid_rate.cpp's (host-tested).
u64 rate_from_cpuid() {
    const u32 max_leaf = cpuid(0).eax;
    kernel::time::CpuidFrequencyLeaves leaves{max_leaf, 0, 0, 0, 0};
    if (max_leaf >= 0x15) {
        const CpuidResult tsc = cpuid(0x15);
        leaves.eax_15 = tsc.eax;
        leaves.ebx_15 = tsc.ebx;
        leaves.ecx_15 = tsc.ecx;
    }
    if (max_leaf >= 0x16) leaves.eax_16 = cpuid(0x16).eax;
    return kernel::time::rate_from_cpuid(leaves).hz;
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
    return kernel::time::ticks_to_us(tsc::read() - tsc::g_boot_tsc, hz);
}
