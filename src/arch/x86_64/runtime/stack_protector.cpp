// Stack protector runtime. Built with -fno-stack-protector (src/CMakeLists.txt):
// this file changes the guard, so no function in it may check it.
#include "arch/x86_64/runtime/stack_protector.hpp"

#include "arch/io.hpp"
#include "arch/pc.h"
#include "arch/x86_64/bits.h"
#include "arch/x86_64/cpu.hpp"
#include "kernel/debug/debug.hpp"
#include "kernel/panic/panic.hpp"

extern "C" {
// Read by every protected function. Until seeded: an arbitrary constant with
// a zero low byte, like the random values below.
uptr __stack_chk_guard = 0x2F8A'61C7'3B9E'D400;
}

namespace arch {

namespace {

enum class Source : u8 { Constant, Rdseed, Rdrand, Tsc, PitCount };
Source g_source = Source::Constant;

// Intel's DRNG guide: RDRAND can fail transiently (CF = 0); retry a bounded
// number of times. RDSEED fails more often under load.
constexpr int kRdrandRetries = 10;
constexpr int kRdseedRetries = 100;

bool rdrand(u64& value) {
    for (int i = 0; i < kRdrandRetries; ++i) {
        bool ok = false;
        asm volatile("rdrand %0" : "=r"(value), "=@ccc"(ok));
        // Some AMD CPUs return all ones with CF set after a suspend: never
        // take 0 or ~0 as random.
        if (ok && value != 0 && value != ~u64{0}) return true;
    }
    return false;
}

bool rdseed(u64& value) {
    for (int i = 0; i < kRdseedRetries; ++i) {
        bool ok = false;
        asm volatile("rdseed %0" : "=r"(value), "=@ccc"(ok));
        if (ok && value != 0 && value != ~u64{0}) return true;
        pause();
    }
    return false;
}

// PIT channel 0's current count, latched (command 0x00: channel 0, latch):
// the firmware leaves it counting down at 1.193 MHz, so its value at this
// moment is the little timing entropy a CPU without TSC, RDRAND or RDSEED
// offers (on a machine whose PIT is gated off it reads a constant).
u64 pit_count() {
    out8(Port{PIT_COMMAND_PORT}, 0x00);
    const u8 lo = in8(Port{PIT_CHANNEL0_PORT});
    const u8 hi = in8(Port{PIT_CHANNEL0_PORT});
    return u64{lo} | (u64{hi} << 8);
}

// splitmix64's finaliser: spreads the few unpredictable low bits of the TSC.
u64 mix(u64 x) {
    x ^= x >> 30;
    x *= 0xBF58476D1CE4E5B9ULL;
    x ^= x >> 27;
    x *= 0x94D049BB133111EBULL;
    return x ^ (x >> 31);
}

}  // namespace

void seed_stack_protector() {
    u64 value = 0;
    const CpuidResult leaf1 = cpuid(CPUID_LEAF_FEATURES);
    const bool has_leaf7 = cpuid(0).eax >= CPUID_LEAF_EXTENDED_FEATURES;
    const bool has_rdseed =
        has_leaf7 && (cpuid(CPUID_LEAF_EXTENDED_FEATURES).ebx & CPUID_7_EBX_RDSEED) != 0;
    const bool has_rdrand = (leaf1.ecx & CPUID_1_ECX_RDRAND) != 0;
    if (has_rdseed && rdseed(value)) {
        g_source = Source::Rdseed;
    } else if (has_rdrand && rdrand(value)) {
        g_source = Source::Rdrand;
    } else if ((leaf1.edx & CPUID_1_EDX_TSC) != 0) {
        value = mix(rdtsc() ^ __stack_chk_guard ^ reinterpret_cast<u64>(&value));
        g_source = Source::Tsc;
    } else {
        // No TSC: RDTSC would raise #UD.
        value = mix(pit_count() ^ __stack_chk_guard ^ reinterpret_cast<u64>(&value));
        g_source = Source::PitCount;
    }
    // A zero low byte stops string functions from reading or writing past
    // the canary (glibc does the same); the rest is random.
    value &= ~u64{0xFF};
    if (value == 0) value = 0x0100;
    __stack_chk_guard = value;
}

ktl::string_view stack_protector_source() {
    switch (g_source) {
        case Source::Rdseed:
            return "RDSEED";
        case Source::Rdrand:
            return "RDRAND";
        case Source::Tsc:
            return "TSC";
        case Source::PitCount:
            return "the PIT's count (weak: no RDSEED, RDRAND or TSC)";
        case Source::Constant:
            break;
    }
    return "built-in constant";
}

}  // namespace arch

// Called by a protected function whose canary changed: its frame was
// overwritten, so its saved registers and return address cannot be trusted.
extern "C" [[noreturn]] void __stack_chk_fail() {
    kernel::debug::SymbolText caller;
    kernel::debug::symbolize(reinterpret_cast<u64>(__builtin_return_address(0)), caller, true);
    kernel::panic("stack smashing detected in {} (its stack canary was overwritten)",
                  caller.view());
}
