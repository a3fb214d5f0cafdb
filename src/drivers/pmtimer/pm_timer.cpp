#include "drivers/pmtimer/pm_timer.hpp"

#include "arch/arch.hpp"
#include "arch/io.hpp"

namespace drivers::pm_timer {

namespace {

// Written once by init (before `g_present` is published), then read-only.
bool g_io = true;
u16 g_port = 0;
volatile u32* g_memory = nullptr;
u32 g_bits = 24;
u64 g_address = 0;
bool g_present = false;

u32 raw_read() { return g_io ? arch::in32(arch::Port{g_port}) : *g_memory; }

// A counter that reads the same many times in a row is not counting: a
// read takes well over one 279 ns tick on any machine, real or emulated.
constexpr u32 kReadsBeforeGivingUp = 10'000;

}  // namespace

Result<void, ktl::string_view> init(const kernel::acpi::Fadt& fadt) {
    const kernel::acpi::GenericAddress& reg = fadt.pm_timer;
    if (!reg.present()) return ktl::string_view{"the FADT names no PM timer"};
    if (reg.space == static_cast<u8>(kernel::acpi::AddressSpace::Io)) {
        if (reg.address > 0xFFFC) return ktl::string_view{"its port is beyond 0xfffc"};
        g_io = true;
        g_port = static_cast<u16>(reg.address);
    } else if (reg.space == static_cast<u8>(kernel::acpi::AddressSpace::Memory)) {
        if (reg.address % 4 != 0) return ktl::string_view{"its address is not 4-byte aligned"};
        const Result<u8*, VmError> mapped =
            arch::map_mmio(PhysRange::from_size(PhysAddr{reg.address}, 4), CacheType::Uncached);
        if (!mapped) return ktl::string_view{describe(mapped.error())};
        g_io = false;
        g_memory = reinterpret_cast<volatile u32*>(*mapped);
    } else {
        return ktl::string_view{"it is neither in I/O nor in memory space"};
    }
    g_address = reg.address;
    g_bits = (fadt.flags & kFadtTimerValExt) != 0 ? 32 : 24;
    const u32 mask = g_bits == 32 ? ~0U : (1U << 24) - 1;
    const u32 first = raw_read() & mask;
    u32 reads = 0;
    while ((raw_read() & mask) == first) {
        if (++reads == kReadsBeforeGivingUp) {
            // Not used: a memory-space register's mapping goes back.
            if (!g_io) (void)arch::unmap_mmio(g_memory, 4);
            g_memory = nullptr;
            return ktl::string_view{"it does not count"};
        }
    }
    __atomic_store_n(&g_present, true, __ATOMIC_RELEASE);
    return {};
}

bool present() { return __atomic_load_n(&g_present, __ATOMIC_ACQUIRE); }
u32 counter_bits() { return g_bits; }
u64 address() { return g_address; }
bool in_io_space() { return g_io; }

u64 read_counter() {
    if (!present()) return 0;
    return raw_read() & (g_bits == 32 ? ~0U : (1U << 24) - 1);
}

}  // namespace drivers::pm_timer
